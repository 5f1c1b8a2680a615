using System;
using Microsoft.Extensions.Logging;

namespace RpcPlugin.GoPluginServer;

/// <summary>
/// Routes ASP.NET Core's and gRPC's own log entries through the hclog logger, so that the framework never writes
/// to stdout (which belongs to the handshake) and its warnings reach the host in a format it parses.
/// </summary>
internal sealed class HclogLoggerProvider(HclogLogger log) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new FrameworkLogger(log, categoryName);

    public void Dispose()
    {
    }

    private sealed class FrameworkLogger(HclogLogger log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && log.IsEnabled(ToHclog(logLevel));

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is null)
            {
                log.Log(ToHclog(logLevel), message, ("logger", category));
            }
            else
            {
                log.Log(ToHclog(logLevel), message, ("logger", category), ("error", exception.ToString()));
            }
        }

        private static HclogLevel ToHclog(LogLevel level) => level switch
        {
            LogLevel.Trace => HclogLevel.Trace,
            LogLevel.Debug => HclogLevel.Debug,
            LogLevel.Information => HclogLevel.Info,
            LogLevel.Warning => HclogLevel.Warn,
            _ => HclogLevel.Error,
        };
    }
}
