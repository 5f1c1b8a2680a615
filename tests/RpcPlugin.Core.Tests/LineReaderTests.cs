using System.IO;
using System.Text;
using System.Threading.Tasks;
using RpcPlugin.Core.Logs;

namespace RpcPlugin.Core.Tests;

public class LineReaderTests
{
    [Fact]
    public async Task Lines_end_at_newlines_with_or_without_carriage_returns()
    {
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes("one\r\ntwo\n\nthree")));

        Assert.Equal("one", await reader.ReadLineAsync());
        Assert.Equal("two", await reader.ReadLineAsync());
        Assert.Equal(string.Empty, await reader.ReadLineAsync());
        Assert.Equal("three", await reader.ReadLineAsync());
        Assert.Null(await reader.ReadLineAsync());
    }

    [Fact]
    public async Task A_line_longer_than_the_cap_comes_in_pieces_and_nothing_is_lost()
    {
        string huge = new('x', (LineReader.MaxLineLength * 2) + 10);
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(huge + "\nafter\n")));

        var total = new StringBuilder();
        string? line;
        int pieces = 0;
        while ((line = await reader.ReadLineAsync()) != "after")
        {
            Assert.NotNull(line);
            Assert.True(line!.Length <= LineReader.MaxLineLength);
            total.Append(line);
            pieces++;
        }

        Assert.Equal(3, pieces);
        Assert.Equal(huge, total.ToString());
    }
}
