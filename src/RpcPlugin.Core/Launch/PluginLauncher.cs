using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using RpcPlugin.Core.Errors;
using RpcPlugin.Core.Handshake;
using RpcPlugin.Core.Logs;
using RpcPlugin.Core.Sessions;
using RpcPlugin.Core.Terraform;
using RpcPlugin.Core.Settings;
using RpcPlugin.Core.Transport;

namespace RpcPlugin.Core.Launch;

/// <summary>Starts plugins: checksum, launch, handshake, TLS, connect, with retries for transient failures (docs/protocol.md §1–3, §9).</summary>
public static class PluginLauncher
{
    private static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(100);

    /// <summary>Starts a plugin and returns its ready session.</summary>
    /// <param name="info">What to start and how.</param>
    /// <param name="progress">Receives each stage of the start.</param>
    /// <param name="logObserver">Sees each line the plugin logs while it starts (on a background thread).</param>
    /// <param name="cancellationToken">Cancels the start; the process is killed.</param>
    /// <exception cref="PluginException">Any start failure, with its stable code.</exception>
    /// <exception cref="OperationCanceledException">The start was cancelled; nothing is left running.</exception>
    public static async Task<PluginSession> StartAsync(
        PluginStartInfo info,
        IProgress<PluginStartProgress>? progress = null,
        Action<RpcPluginLogEntry>? logObserver = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(info);
        var clock = Stopwatch.StartNew();
        string name = info.Name ?? Path.GetFileNameWithoutExtension(info.FilePath);
        void Report(PluginStartStage stage, int attempt, string detail) =>
            progress?.Report(new PluginStartProgress(stage, attempt, clock.Elapsed, info.StartTimeout, detail));

        CheckExecutable(info.FilePath);
        TerraformProtocol.CheckVersions(info);
        StartArguments.Check(info);
        DateTime deadline = DateTime.UtcNow + info.StartTimeout;
        if (info.Checksum is not null)
        {
            Report(PluginStartStage.VerifyingChecksum, 1, info.FilePath);
            ChecksumVerifier.Verify(info.FilePath, info.Checksum, info.ChecksumAlgorithm);
        }

        SessionDescriptors descriptors = SessionDescriptors.Prepare(info.Descriptors);
        PluginTlsOptions tlsOptions = info.Tls;
        TlsPlan.Check(tlsOptions);

        for (int attempt = 1; ; attempt++)
        {
            var log = new PluginLog(name);
            if (logObserver is not null)
            {
                log.EntryAdded += logObserver;
            }

            X509Certificate2? clientCertificate = info.AutoMtls ? await CertificateWarmup.TakeAsync().ConfigureAwait(false) : null;
            Report(PluginStartStage.Launching, attempt, $"{info.FilePath} {string.Join(' ', info.Arguments)}".TrimEnd());
            StartAttempt run = StartAttempt.Launch(info, name, clientCertificate, log);
            PluginChannels? channels = null;
            PluginSession? session = null;
            try
            {
                Report(PluginStartStage.WaitingForHandshake, attempt, $"pid {run.Process.Id}");
                string line = await run.WaitForHandshakeAsync(deadline, info.StartTimeout, log, cancellationToken).ConfigureAwait(false);
                PluginHandshake handshake = HandshakeParser.Parse(line, info.ProtocolVersions);
                run.SocketPath = handshake.Network == "unix" ? handshake.Address : null;
                var endpoint = new PluginEndpoint(handshake.Network, handshake.Address);
                TlsPlan tls = TlsPlan.Decide(handshake.ServerCertificate, clientCertificate, tlsOptions);
                Report(PluginStartStage.Connecting, attempt, $"{endpoint} ({tls.Describe()})");
                channels = await ConnectionProbe.OpenAsync(endpoint, tls, info.MaxMessageSize, deadline, attached: false, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();

                if (logObserver is not null)
                {
                    log.EntryAdded -= logObserver;
                }

                session = new PluginSession(new SessionParts(
                    name, info.FilePath, run.Process, run.SocketDirectory, endpoint, handshake.AppVersion, tls, channels, log, descriptors, Warnings(info, handshake, tls), run.Output.Drained, info.Terraform));
                Report(PluginStartStage.Ready, attempt, $"{endpoint}, protocol version {handshake.AppVersion}");

                // A start cancelled at its very end must not hand out a session its caller no longer waits for.
                cancellationToken.ThrowIfCancellationRequested();
                session.PrefetchDescriptors();
                return session;
            }
            catch (Exception e)
            {
                Exception error = e is PluginException { Code: PluginErrorCode.ConnectionFailed or PluginErrorCode.TlsFailure } refused && !cancellationToken.IsCancellationRequested
                    ? await run.ExplainConnectFailureAsync(refused, log, deadline).ConfigureAwait(false)
                    : e;
                if (session is not null)
                {
                    await session.StopAsync(force: true, cancellationToken: CancellationToken.None).ConfigureAwait(false);
                }
                else
                {
                    channels?.Dispose();
                    await run.AbandonAsync().ConfigureAwait(false);
                }

                cancellationToken.ThrowIfCancellationRequested();
                TimeSpan delay = Backoff(attempt, info.BackoffMultiplier, info.BackoffMax);
                if (error is not PluginException { Transient: true } failure || attempt > info.MaxRetries || DateTime.UtcNow + delay >= deadline)
                {
                    if (ReferenceEquals(error, e))
                    {
                        throw;
                    }

                    throw error;
                }

                Report(PluginStartStage.BackingOff, attempt, $"attempt {attempt} failed ({failure.Message}); retrying in {delay.TotalMilliseconds:0} ms");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> + 1: 100 ms × multiplier^(attempt-1), capped, ±20 % jitter.</summary>
    internal static TimeSpan Backoff(int attempt, double multiplier, TimeSpan max)
    {
        double milliseconds = InitialBackoff.TotalMilliseconds * Math.Pow(Math.Max(multiplier, 1.0), attempt - 1);
        milliseconds = Math.Min(milliseconds, max.TotalMilliseconds);
        milliseconds *= 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    private static void CheckExecutable(string path)
    {
        if (!File.Exists(path))
        {
            string why = Directory.Exists(path) ? "it is a directory" : "no such file";
            throw new PluginException(PluginErrorCode.PluginNotFound, $"Cannot find the plugin executable '{path}' ({why}).")
            {
                RecommendedAction = "Check the path; relative paths are resolved against the current location.",
            };
        }
    }

    private static IReadOnlyList<string> Warnings(PluginStartInfo info, PluginHandshake handshake, TlsPlan tls)
    {
        var warnings = new List<string>();
        if (info.AutoMtls && handshake.ServerCertificate is null && !tls.UseTls)
        {
            warnings.Add($"AutoMTLS was requested but the plugin did not offer a certificate in its handshake, so the connection is plaintext. Pass {HostTerms.Current.RequireTls} to refuse such plugins, or {HostTerms.Current.NoAutoMtls} to silence this warning.");
        }

        if (tls.UseTls && !tls.VerifyServer && tls.PinnedCertificate is null)
        {
            warnings.Add("The plugin's certificate is not verified (PLUGIN_CLIENT_VERIFY_SERVER=false).");
        }

        return warnings;
    }
}
