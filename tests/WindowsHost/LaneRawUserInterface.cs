using System;
using System.Management.Automation.Host;

namespace RpcPlugin.WindowsHost;

/// <summary>A fixed 120-column "console": the lane's output goes to a pipe, which has no size or cursor.</summary>
internal sealed class LaneRawUserInterface : PSHostRawUserInterface
{
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;

    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;

    public override Size BufferSize { get; set; } = new(120, 3000);

    public override Coordinates CursorPosition { get; set; }

    public override int CursorSize { get; set; } = 25;

    public override bool KeyAvailable => false;

    public override Size MaxPhysicalWindowSize => new(120, 50);

    public override Size MaxWindowSize => new(120, 50);

    public override Coordinates WindowPosition { get; set; }

    public override Size WindowSize { get; set; } = new(120, 50);

    public override string WindowTitle { get; set; } = "RpcPlugin Windows lane";

    public override void FlushInputBuffer()
    {
    }

    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException("No screen buffer: output is a pipe.");

    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException("The Windows lane host runs unattended and cannot read keys.");

    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill)
    {
    }

    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents)
    {
    }

    public override void SetBufferContents(Rectangle rectangle, BufferCell fill)
    {
    }
}
