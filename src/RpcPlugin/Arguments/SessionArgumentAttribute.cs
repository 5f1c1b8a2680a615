using System.Management.Automation;

namespace RpcPlugin.Arguments;

/// <summary>
/// Checks what a -Session parameter receives before PowerShell converts it, so that two mistakes get a message that
/// says what happened: <c>$null</c> (typically the variable of a Start-RpcPlugin that failed — without this, the
/// command would quietly use another session), and a session that crossed into another process (Start-Job,
/// remoting), which arrives as a deserialized copy that cannot reach its plugin.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class SessionArgumentAttribute : ArgumentTransformationAttribute
{
    private const string DeserializedName = "Deserialized.RpcPlugin.RpcPluginSession";
    private const string DeserializedMethodName = "Deserialized.RpcPlugin.RpcMethodInfo";

    /// <inheritdoc />
    public override bool TransformNullOptionalParameters => true;

    /// <inheritdoc />
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        // A parameter that takes several sessions (Stop-RpcPlugin -Session) gets each checked.
        if ((inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is object[] sessions)
        {
            foreach (object element in sessions)
            {
                Check(element);
            }

            return inputData;
        }

        Check(inputData);
        return inputData;
    }

    private static void Check(object? inputData)
    {
        if (inputData is null || (inputData is PSObject { BaseObject: null }))
        {
            throw new ArgumentTransformationMetadataException(
                "The session is $null. If it came from a variable, the Start-RpcPlugin or Connect-RpcPlugin that set it probably failed. " +
                "Pass a session object, name one with -SessionName, or leave both out to use the runspace's only session.");
        }

        if (CrossedProcess(inputData) is { } message)
        {
            throw new ArgumentTransformationMetadataException(message);
        }
    }

    /// <summary>
    /// What to say of a session, or a method object (which carries one), that arrived as a deserialized copy from
    /// another process; null for anything else. Pipeline input that is not bound to a -Session parameter is checked
    /// here too, so that it gets the same message.
    /// </summary>
    internal static string? CrossedProcess(object? input)
    {
        if (input is not PSObject wrapped)
        {
            return null;
        }

        string? what = wrapped.TypeNames.Contains(DeserializedName) ? $"The session '{wrapped.Properties["Name"]?.Value}'"
            : wrapped.TypeNames.Contains(DeserializedMethodName) ? $"The method object '{wrapped.Properties["FullName"]?.Value}' (of session '{wrapped.Properties["SessionName"]?.Value}')"
            : null;
        return what is null ? null :
            $"{what} is a copy that crossed into another process (Start-Job, remoting, Export-Clixml). " +
            "A session lives in the PowerShell process that started it and cannot be used from another: start or connect the plugin " +
            "inside that process (e.g. in the job's script block), or use ForEach-Object -Parallel or Start-ThreadJob, which share this process.";
    }
}
