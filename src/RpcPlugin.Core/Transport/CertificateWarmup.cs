using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RpcPlugin.Core.Settings;

namespace RpcPlugin.Core.Transport;

/// <summary>
/// Makes the first start's AutoMTLS certificate ahead of time, on a background thread started as the module
/// imports. In a cold process the key costs tens of milliseconds, and on Linux the first certificate chain built
/// (SslStream builds one for a client certificate) costs as much again, because it reads the whole system trust
/// store, which the runtime then caches. Both would otherwise happen while the first Start-RpcPlugin waits.
/// </summary>
internal static class CertificateWarmup
{
    private static TaskCompletionSource<X509Certificate2>? ahead;
    private static int begun;

    /// <summary>Once per process, unless AutoMTLS is turned off (<c>PLUGIN_AUTO_MTLS</c>): starts the work.</summary>
    public static void Begin()
    {
        string? setting = Environment.GetEnvironmentVariable("PLUGIN_AUTO_MTLS");
        if ((setting is { Length: > 0 } && ClientDefaults.ParseBoolean(setting) == false) || Interlocked.Exchange(ref begun, 1) == 1)
        {
            return;
        }

        var made = new TaskCompletionSource<X509Certificate2>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref ahead, made);

        // A thread of its own: at import the thread pool may have no thread to spare yet.
        new Thread(() => Make(made)) { IsBackground = true, Name = "RpcPlugin certificate warm-up" }.Start();
    }

    /// <summary>A certificate for one start: the one made ahead, once (waiting for it if need be), else a new one.</summary>
    public static async Task<X509Certificate2> TakeAsync()
    {
        TaskCompletionSource<X509Certificate2>? made = Interlocked.Exchange(ref ahead, null);
        if (made is not null)
        {
            try
            {
                return await made.Task.ConfigureAwait(false);
            }
            catch (CryptographicException)
            {
                // Made ahead or now, the same failure: let Create report it on the start's own path.
            }
        }

        return AutoMtlsCertificate.Create();
    }

    private static void Make(TaskCompletionSource<X509Certificate2> made)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = AutoMtlsCertificate.Create();
        }
        catch (Exception e)
        {
            made.TrySetException(e);
            return;
        }

        // The start can launch its plugin now; the trust store loads meanwhile (a chain built during the load
        // waits for it rather than reading the store again).
        made.TrySetResult(certificate);
        try
        {
            using var copy = new X509Certificate2(certificate);
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.Build(copy);
        }
        catch (CryptographicException)
        {
            // Only a warm-up: the connection builds its chain again and reports what fails there.
        }
    }
}
