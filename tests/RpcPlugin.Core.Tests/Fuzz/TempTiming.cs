using System;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Xunit.Abstractions;
namespace RpcPlugin.Core.Tests.Fuzz;
public class TempTiming
{
    private readonly ITestOutputHelper output;
    public TempTiming(ITestOutputHelper output) { this.output = output; }
    [Fact]
    public void Timing()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var cert = new CertificateRequest("CN=localhost", ec, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        string line = "1|1|unix|/tmp/p|grpc|" + Convert.ToBase64String(cert.RawData);
        string bad = "1|1|unix|/tmp/p|grpc|" + Convert.ToBase64String(new byte[300]);
        string invalid = "1|1|udp|/tmp/p|grpc|";
        foreach (var (name, l) in new[] { ("valid cert", line), ("bad cert", bad), ("invalid", invalid), ("nocert", "1|1|unix|/tmp/p|grpc|") })
        {
            for (int w = 0; w < 100; w++) { try { HandshakeParser.Parse(l, new[] { 1 }); } catch (PluginException) { } }
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 2000; i++) { try { HandshakeParser.Parse(l, new[] { 1 }); } catch (PluginException) { } }
            output.WriteLine($"{name}: {sw.Elapsed.TotalMilliseconds * 1000 / 2000:F1} us");
        }
    }
}
