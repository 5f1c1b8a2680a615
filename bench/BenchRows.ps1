# The rows of the benchmark report: what each measures, its target (bench/README.md, Targets) and how the target
# is judged. Dot-sourced by Invoke-Benchmarks.ps1.

# What each row is, its target (bench/README.md, Targets) and how the target is judged: ratio = ours / against (time per
# operation, lower is better for us); diff = ours - against (start rows, ms).
$specs = [ordered]@{
    'unary'            = @{ Name = 'unary call'; Target = 'ratio ≤ 1.5'; Test = { param($r) $r.ratio -le 1.5 }
        Note = 'Per-call time of `Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{message=''x''}` in a PowerShell foreach loop, against a Grpc.Net.Client stub generated from protos/test/testplugin.proto, loaded into the module''s AssemblyLoadContext and called from the same pwsh on the session''s own CallInvoker (same unix-socket AutoMTLS connection). Both sides first make 20,000 warm-up calls: the first thousands of calls in a process are up to twice as slow on both sides while .NET and PowerShell finish compiling (tiered JIT), and steady state is what a long loop sees; then batches interleaved.' }
    'process'          = @{ Name = 'process per call'; Target = 'ratio ≤ 0.02 (≥ 50× faster)'; Test = { param($r) $r.ratio -le 0.02 }
        Note = 'Our unary loop on a plaintext session (the test plugin started with -NoAutoMtls), against `BenchStub call <socket>`: one .NET process per call that starts, dials the same plugin''s unix socket (plaintext), calls Unary once and exits — what shell users do with grpcurl. A Go grpcurl starts faster than a .NET process, so this overstates the gap somewhat.' }
    'server-stream'    = @{ Name = 'server stream'; Target = 'ratio ≤ 2 (≥ 50% of stub throughput)'; Test = { param($r) $r.ratio -le 2 }
        Note = 'Time per message of `Invoke-RpcPluginMethod $s testplugin.Echo/ServerStream @{count=N} | Measure-Object`, against the stub reading the same stream over the same CallInvoker.' }
    'client-stream'    = @{ Name = 'client stream'; Target = 'none'; Test = $null
        Note = 'Time per item of `1..N | % { @{message=''x''} } | Invoke-RpcPluginMethod $s testplugin.Echo/ClientStream` (the generator is included; its cost alone is in the diagnostics), against the stub writing N requests on the same CallInvoker.' }
    'go-unary'         = @{ Name = "go-plugin's client: unary"; Target = 'ratio ≤ 1.3'; Test = { param($r) $r.ratio -le 1.3 }
        Note = "Our unary loop (goecho.Echo/Unary) against go-echo-plugin (go-plugin 1.0.1 server, AutoMTLS, unix socket), against tests/peers go-host call echo: go-plugin's own Go client calling the same plugin binary N times in one process (its per_call_us)." }
    'go-stream'        = @{ Name = "go-plugin's client: server stream"; Target = 'none'; Test = $null
        Note = 'goecho.Echo/ServerStream into Measure-Object, against go-host stream (per_message_us).' }
    'cold-script'      = @{ Name = 'cold: one-shot script'; Target = 'diff ≤ 250 ms'; Test = { param($r) $r.difference -le 250 }
        Note = 'What a cron job, a CI step or a one-liner pays: bench/ColdScript.ps1 (Import-Module, Start-RpcPlugin of go-echo-plugin with AutoMTLS, one unary call, Stop-RpcPlugin) in a fresh pwsh, timed from Process.Start to exit, against a bare `pwsh -NoProfile -NonInteractive -Command exit`; the difference is the module''s cold cost. Each repetition runs the one-shot script, the bare pwsh and go-host in rotating order, after one untimed round.' }
    'cold-script-r2r'  = @{ Name = 'cold: one-shot, precompiled pwsh'; Target = 'diff ≤ 250 ms'; Test = { param($r) $r.difference -le 250 }
        Note = 'The one-shot script and the bare pwsh of the row above, run by a copy of the same pwsh whose own assemblies (System.Management.Automation, the console host, the built-in command assemblies) crossgen2 precompiled, as PowerShell''s official packages ship them; the .NET tool package that runs these benchmarks ships them as IL, so the row above also times PowerShell JIT-compiling itself. Interleaved; the phases inside the script in the diagnostics.' }
    'cold-go'          = @{ Name = "cold: module cost vs go-plugin's client"; Target = 'none'; Test = $null
        Note = "The module's cold cost (each one-shot run minus the bare pwsh run of its repetition) beside go-plugin's own Go client doing start + one call + kill as a whole process (go-host call echo <plugin> 1)." }
    'cold-import'      = @{ Name = 'cold: Import-Module'; Target = 'none'; Test = $null
        Note = 'The phases of the same one-shot runs, timed inside the script, with the methods the JIT compiled in each (System.Runtime.JitInfo.GetCompiledMethodCount: few in our own phases means the ReadyToRun code was used). Import-Module first.' }
    'cold-start'       = @{ Name = 'cold: first Start-RpcPlugin'; Target = 'none'; Test = $null
        Note = "The first Start-RpcPlugin of the process, against go-host's start_ms in its own fresh process." }
    'cold-call'        = @{ Name = 'cold: first call'; Target = 'none'; Test = $null
        Note = "The first Invoke-RpcPluginMethod of the process, against go-host's one timed call." }
    'cold-stop'        = @{ Name = 'cold: first Stop-RpcPlugin'; Target = 'none'; Test = $null
        Note = "The first Stop-RpcPlugin of the process, against go-host's kill_ms (go-plugin's Client.Kill: Shutdown, then wait)." }
    'cold-calls-1k'    = @{ Name = 'cold: calls 1–1,000'; Target = 'ratio ≤ 1.5'; Test = { param($r) $r.ratio -le 1.5 }
        Note = 'Per-call time of the first 1,000 unary calls (goecho.Echo/Unary, the loop of the go-unary row) in a fresh pwsh, right after Import-Module and Start-RpcPlugin (bench/ColdCalls.ps1), against the steady state of the same process (timed after 20,000 calls; quick: right after the first ones). go-plugin''s Go client doing its first 1,000 calls in a fresh process is in the diagnostics.' }
    'cold-calls-10k'   = @{ Name = 'cold: calls 1–10,000'; Target = 'ratio ≤ 1.5'; Test = { param($r) $r.ratio -le 1.5 }
        Note = "Per-call time of the first 10,000 calls of the same fresh-pwsh runs (quick: 2,000), against go-plugin's Go client doing as many in a fresh process (go-host call echo <plugin> N, per_call_us). The diagnostics show every batch of 1,000: how fast the per-call time settles." }
    'codec-small-encode'  = @{ Name = 'codec: small encode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 }
        Note = 'BenchmarkDotNet (in-process job), RpcPlugin.Core''s DynamicCodec.Encode/Decode of a DynamicMessage against Google.Protobuf generated code (ToByteArray / Parser.ParseFrom), same descriptor and values. small: testplugin.EchoRequest; medium: testplugin.AllTypes with every field set; large: AllTypes with 1 MB of bytes and 10,000 packed int32. Values are BenchmarkDotNet iteration statistics (median, p10, p90 over N iterations).' }
    'codec-small-decode'  = @{ Name = 'codec: small decode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'codec-medium-encode' = @{ Name = 'codec: medium encode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'codec-medium-decode' = @{ Name = 'codec: medium decode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'codec-large-encode'  = @{ Name = 'codec: large encode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'codec-large-decode'  = @{ Name = 'codec: large decode'; Target = 'ratio ≤ 2'; Test = { param($r) $r.ratio -le 2 } }
    'start-testplugin' = @{ Name = 'start: TestPlugin'; Target = 'diff ≤ 30 ms'; Test = { param($r) $r.difference -le 30 }
        Note = 'Warm Start-RpcPlugin (not the first start of the process) until Ready — AutoMTLS client certificate, launch, handshake, TLS connect and one health check; descriptors load later in the background — against a raw Process.Start of the same plugin with the same environment (cookie, PLUGIN_PROTOCOL_VERSIONS=1,2, PLUGIN_CLIENT_CERT so the plugin makes its AutoMTLS certificate too, PLUGIN_UNIX_SOCKET_DIR) until its handshake line. Interleaved.' }
    'start-go'         = @{ Name = 'start: go-echo-plugin'; Target = 'diff ≤ 30 ms'; Test = { param($r) $r.difference -le 30 }
        Note = 'Same for go-echo-plugin (ECHO_PLUGIN=go-echo, version 2, AutoMTLS).' }
    'start-go-host'    = @{ Name = "start: go-plugin's client"; Target = 'none'; Test = $null
        Note = "Start-RpcPlugin of go-echo-plugin (the same samples as the row above) against go-host's start_ms: go-plugin's NewClient + Client() + Dispense + Ping (AutoMTLS), i.e. what go-plugin's own client takes to the same point." }
    'memory-managed'   = @{ Name = 'memory: managed / idle session'; Target = '≤ 2 MB'; Test = { param($r) $r.ours.median -le 2 }
        Note = 'N TestPlugin sessions started and idle (descriptors loaded); GC.GetTotalMemory(true) after a full collection, with the sessions minus before, divided by N. Absolute, no pair.' }
    'memory-private'   = @{ Name = 'memory: private bytes / idle session'; Target = 'none'; Test = $null
        Note = 'Same, process private bytes (Linux: Private_Clean + Private_Dirty of /proc/self/smaps_rollup).' }
    'soak-heap'        = @{ Name = 'soak: heap growth'; Target = '≈ 0 (≤ 1 MB)'; Test = { param($r) $r.ours.median -le 1 }
        Note = 'Managed heap after a full GC before and after N unary calls on one session (after 1,000 warm-up calls); checkpoints each quarter in the diagnostics. Quick mode is too short to show a small leak.' }
    'soak-handles'     = @{ Name = 'soak: fd growth'; Target = '0 (≤ 2)'; Test = { param($r) $r.ours.median -le 2 }
        Note = 'Open file descriptors (/proc/self/fd) before and after the same N calls.' }
    'scale'            = @{ Name = 'scale: parallel runspaces'; Target = 'no cross-talk'; Test = { param($r) [bool]$r.pass }
        Note = 'ForEach-Object -Parallel: R runspaces, each importing the module, starting P TestPlugins of its own, calling each (and one session shared by all runspaces) a few times with messages unique to the caller and checking every reply (message and pid), that Get-RpcPlugin shows only its own sessions, then stopping them. Wall time of the whole block; pass = no reply reached the wrong caller and nothing failed.' }
}
$specs['churn-heap'] = @{ Name = 'churn: heap growth'; Target = 'flat (≤ 1 MB)'; Test = { param($r) $r.ours.median -le 1 }
    Note = 'One pwsh starts the test plugin, makes a few calls (records of every kind: nested messages, maps with integer and bool keys, a oneof, an Any) and stops it, over and over (a scheduler starting a plugin every minute). Managed heap after a full GC after the warm-up cycles and at checkpoints; growth from the first sample to the last. Before sessions shared their response types, each session kept ~23 KB of heap and an assembly for good.' }
$specs['churn-assemblies'] = @{ Name = 'churn: assembly growth'; Target = 'flat (≤ 2)'; Test = { param($r) $r.ours.median -le 2 }
    Note = 'Loaded assemblies (emitted response types among them) after the same cycles. A framework assembly may load once, late (System.Net.Quic by the HTTP stack): the target allows 2 in all, not per session.' }
$specs['churn-threads'] = @{ Name = 'churn: thread growth'; Target = 'flat (≤ 4)'; Test = { param($r) $r.ours.median -le 4 }
    Note = 'Threads of the pwsh process after the same cycles (the thread pool grows and retires threads by itself, hence a small allowance).' }
$specs['churn-fds'] = @{ Name = 'churn: fd growth'; Target = '0 (≤ 2)'; Test = { param($r) $r.ours.median -le 2 }
    Note = 'Open file descriptors (/proc/self/fd) after the same cycles, except those holding loaded assembly files: the runtime opens those once per assembly, and an assembly can load late (a method recompiled at tier 1 may need one its first compilation did not); the assembly row counts them. A leaked socket, pipe or file shows here.' }
