namespace RpcPlugin.Core.Descriptors;

/// <summary>A reflection server left a request unanswered for longer than the answer timeout.</summary>
internal sealed class ReflectionSilenceException : Exception
{
    public ReflectionSilenceException(string serviceName, TimeSpan answerTimeout, bool answeredBefore, Exception innerException)
        : base($"{serviceName} left a request unanswered for {answerTimeout.TotalSeconds:0.#} s{(answeredBefore ? " after answering others" : string.Empty)}.", innerException)
    {
        AnsweredBefore = answeredBefore;
    }

    /// <summary>Whether the server had answered anything on that stream (so it does speak this reflection version).</summary>
    public bool AnsweredBefore { get; }
}
