BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $session = Start-TestPlugin -Parameters @{ Name = 'failures' }
    $null = Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{} # descriptors loaded: the timeouts below are the calls' own

    function Invoke-EndlessStream {
        # Feeds requests for ever (one every 20 ms) into a stream call; returns what the call wrote, its errors and
        # how long it took. The producer counts what it made in $script:produced.
        param([Parameter(Mandatory)] $Session, [Parameter(Mandatory)] [string] $Method, [hashtable] $Parameters = @{})
        $script:produced = 0
        $errors = @()
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $output = & { while ($true) { $script:produced++; @{ message = "m$script:produced" }; Start-Sleep -Milliseconds 20 } } |
            Invoke-RpcPluginMethod $Session $Method @Parameters -ErrorVariable errors -ErrorAction SilentlyContinue
        [pscustomobject]@{ Output = @($output); Errors = @($errors); Seconds = $watch.Elapsed.TotalSeconds; Produced = $script:produced }
    }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
    Test-ProcessGone $session.ProcessId | Should -BeTrue
}

Describe 'A failing client stream fails at once and stops its producer' {
    It 'ends an endless client stream at -Timeout with DeadlineExceeded' {
        $result = Invoke-EndlessStream $session testplugin.Echo/ClientStream @{ Timeout = 1 }

        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.Rpc.DeadlineExceeded,*'
        $result.Seconds | Should -BeLessThan 10
        $produced = $script:produced
        Start-Sleep -Milliseconds 200
        $script:produced | Should -Be $produced -Because 'the producer upstream was stopped'
    }

    It 'ends an endless bidi stream at -Timeout, after writing the replies that came' {
        $result = Invoke-EndlessStream $session testplugin.Echo/Bidi @{ Timeout = 1 }

        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.Rpc.DeadlineExceeded,*'
        $result.Output.Count | Should -BeGreaterThan 0
        $result.Seconds | Should -BeLessThan 10
    }

    It 'lets the commands downstream finish' {
        $ended = & { while ($true) { @{ message = 'x' }; Start-Sleep -Milliseconds 20 } } |
            Invoke-RpcPluginMethod $session testplugin.Echo/ClientStream -Timeout 0.5 -ErrorAction SilentlyContinue |
            ForEach-Object -Begin { $n = 0 } -Process { $n++ } -End { "end block ran after $n" }
        $ended | Should -Be 'end block ran after 0'
    }

    It 'stops with -ErrorAction Stop as a terminating error' {
        { & { while ($true) { @{ message = 'x' }; Start-Sleep -Milliseconds 20 } } |
            Invoke-RpcPluginMethod $session testplugin.Echo/ClientStream -Timeout 0.5 -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Rpc.DeadlineExceeded,*'
    }

    It 'reports a plugin that dies mid-stream at once, with its exit code' {
        $crashing = Start-TestPlugin -Mode 'crash-after:5' -Parameters @{ Name = 'crashing' }
        $result = Invoke-EndlessStream $crashing testplugin.Echo/Bidi

        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.PluginExited,*'
        $result.Errors[0].Exception.ExitCode | Should -Be 2
        $result.Seconds | Should -BeLessThan 15
        $crashing | Stop-RpcPlugin
        Wait-ProcessGone $crashing.ProcessId | Should -BeTrue
    }

    It 'reports a session stopped under the stream at once' {
        $victim = Start-TestPlugin -Parameters @{ Name = 'stopped-mid-stream' }
        $module = $env:RPCPLUGIN_MODULE
        $stopper = Start-ThreadJob { Import-Module $using:module; Start-Sleep -Milliseconds 1500; $using:victim | Stop-RpcPlugin }
        $result = Invoke-EndlessStream $victim testplugin.Echo/ClientStream
        $stopper | Wait-Job -Timeout 30 | Remove-Job -Force

        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.SessionClosed,*'
        $result.Seconds | Should -BeLessThan 15
        Wait-ProcessGone $victim.ProcessId | Should -BeTrue
    }

    It 'sends nothing after a request that cannot be built, and says which' {
        $errors = @()
        $result = @(@{ message = 'ok' }, @{ nope = 1 }, @{ message = 'never' }) |
            Invoke-RpcPluginMethod $session testplugin.Echo/ClientStream -ErrorVariable errors -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidRequest,*'
        $errors[0].Exception.Message | Should -BeLike "*nope*"
    }
}

Describe 'Per-call failures are non-terminating, whatever the session''s state' {
    It 'writes SessionClosed for a session whose plugin died before its first call, without throwing' {
        $dead = Start-TestPlugin -Parameters @{ Name = 'dead-before-first-call' }
        Stop-Process -Id $dead.ProcessId -Force
        Wait-Until { $dead.State -eq 'Exited' } | Should -BeTrue

        $thrown = $null
        $errors = @()
        try {
            Invoke-RpcPluginMethod $dead testplugin.Echo/Unary @{ message = 'm' } -ErrorVariable errors -ErrorAction SilentlyContinue
            $ok = $?
        } catch { $thrown = $_ }
        $thrown | Should -BeNullOrEmpty
        $ok | Should -BeFalse
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.SessionClosed,*'
        $dead | Stop-RpcPlugin
    }

    It 'writes one error and stops an endless producer when the session cannot be called' {
        $gone = Start-TestPlugin -Parameters @{ Name = 'gone-before-a-stream' }
        Stop-Process -Id $gone.ProcessId -Force
        Wait-Until { $gone.State -eq 'Exited' } | Should -BeTrue

        $result = Invoke-EndlessStream $gone testplugin.Echo/Unary
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.SessionClosed,*'
        $result.Produced | Should -Be 1
        $gone | Stop-RpcPlugin
    }

    It 'writes the failure of a descriptor load the same way' {
        $dying = Start-TestPlugin -Mode 'silent-reflection:2' -Parameters @{ Name = 'dies-before-descriptors' }
        Stop-Process -Id $dying.ProcessId -Force
        Wait-Until { $dying.State -eq 'Exited' } | Should -BeTrue

        $thrown = $null
        $errors = @()
        try { Invoke-RpcPluginMethod $dying testplugin.Echo/Unary @{} -ErrorVariable errors -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.SessionClosed,*'
        $dying | Stop-RpcPlugin
    }
}

Describe 'A response that cannot be shown is that call''s failure' {
    BeforeAll {
        # Requests the plugin echoes into responses no output form can show: an Any given by its two fields is
        # sent as it is, so it can hold what a misbehaving plugin might send.
        function New-RawAny([string] $Type, [byte[]] $Bytes) { @{ w_any = @{ type_url = "type.googleapis.com/$Type"; value = $Bytes } } }
        $nan = [byte[]](0x11) + [BitConverter]::GetBytes([double]::NaN)
    }

    It 'writes InvalidResponse for <Case>, and calls the next input' -ForEach @(
        @{ Case = 'a FieldMask path with no JSON form (-AsJson)'; Bad = { New-RawAny google.protobuf.FieldMask ([byte[]](0x0A, 6) + [Text.Encoding]::ASCII.GetBytes('fooBar')) }; AsJson = $true; Message = '*fooBar*upper-case*' }
        @{ Case = 'an Any of a type the session does not know (-AsJson)'; Bad = { New-RawAny no.Such ([byte[]](1, 2)) }; AsJson = $true; Message = '*no.Such*unknown*' }
        @{ Case = 'a Value with no kind (-AsJson)'; Bad = { New-RawAny google.protobuf.Value ([byte[]]@()) }; AsJson = $true; Message = '*Value has none of its kinds*' }
        @{ Case = 'a Value holding NaN (-AsJson)'; Bad = { New-RawAny google.protobuf.Value $nan }; AsJson = $true; Message = '*NaN*struct.proto*' }
        @{ Case = 'an Any whose bytes do not decode (objects)'; Bad = { New-RawAny testplugin.Nested ([byte[]](0xFF)) }; AsJson = $false; Message = "*'w_any'*" }
    ) {
        $form = @{ AsJson = $AsJson }
        $thrown = $null
        $errors = @()
        try {
            $output = @((& $Bad), @{ f_string = 'good' } | Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll @form -ErrorVariable errors -ErrorAction SilentlyContinue)
        } catch { $thrown = $_ }

        $thrown | Should -BeNullOrEmpty
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidResponse,*'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $errors[0].Exception.Message | Should -BeLike "*testplugin.Echo/EchoAll*"
        $errors[0].Exception.Message | Should -BeLike $Message
        $output.Count | Should -Be 1
        if ($AsJson) { $output[0] | Should -BeLike '*"fString":"good"*' } else { $output[0].f_string | Should -Be 'good' }
    }

    It 'ends the command with -ErrorAction Stop' {
        { New-RawAny no.Such ([byte[]](1)) | Invoke-RpcPluginMethod $session testplugin.Echo/EchoAll -AsJson -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.InvalidResponse,*'
    }
}

Describe 'A stop racing calls' {
    It 'fails the calls under way and after it with the session''s error, never a terminating .NET exception' {
        $runspace = New-TestRunspace
        try {
            $racer = Invoke-InRunspace $runspace '$s = Start-RpcPlugin $TestPlugin -Name racer -ProtocolVersion 2; $null = Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{}; $s'
            $progress = [hashtable]::Synchronized(@{ Calls = 0 })
            $runspace.SessionStateProxy.SetVariable('progress', $progress)
            $ps = [powershell]::Create($runspace)
            # Every shape in turn, until well after the stop; a terminating error ends the loop and is the result.
            $null = $ps.AddScript(@'
$s = Get-RpcPlugin racer
$after = 0
while ($after -lt 40) {
    if ($s.State -ne 'Ready') { $after++ }
    try {
        $null = Invoke-RpcPluginMethod $s testplugin.Echo/Unary @{ message = 'm' } -ErrorAction SilentlyContinue
        $null = Invoke-RpcPluginMethod $s testplugin.Echo/ServerStream @{ count = 2 } -ErrorAction SilentlyContinue
        $null = @{ message = 'a' }, @{ message = 'b' } | Invoke-RpcPluginMethod $s testplugin.Echo/ClientStream -ErrorAction SilentlyContinue
        $null = @{ message = 'a' } | Invoke-RpcPluginMethod $s testplugin.Echo/Bidi -ErrorAction SilentlyContinue
        $progress.Calls++
    } catch {
        'TERMINATING: ' + $_.FullyQualifiedErrorId + ': ' + $_.Exception.GetType().FullName + ': ' + $_.Exception.Message
        break
    }
}
$progress.Closed = @($Error | Where-Object { $_.FullyQualifiedErrorId -like 'RpcPlugin.SessionClosed,*' }).Count
$Error | Where-Object { $_.FullyQualifiedErrorId -notlike 'RpcPlugin.*' } | ForEach-Object { 'UNEXPECTED: ' + $_.FullyQualifiedErrorId + ': ' + $_.Exception.Message }
'@)
            $async = $ps.BeginInvoke()
            Wait-Until { $progress.Calls -ge 20 } -Seconds 60 | Should -BeTrue
            $racer | Stop-RpcPlugin
            $async.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(60)) | Should -BeTrue
            $result = @($ps.EndInvoke($async))
            $result | Should -BeNullOrEmpty
            $ps.Streams.Error | Should -BeNullOrEmpty
            $progress.Closed | Should -BeGreaterThan 0
        } finally {
            $ps.Stop()
            Invoke-InRunspace $runspace 'Get-RpcPlugin | Stop-RpcPlugin'
            $runspace.Dispose()
        }
    }
}

Describe '-Timeout bounds everything the call waits for' {
    It 'bounds the first call''s wait for descriptors that do not come' {
        $silent = Start-TestPlugin -Mode 'silent-reflection:2' -Parameters @{ Name = 'silent' }
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $err = { Invoke-RpcPluginMethod $silent testplugin.Echo/Unary @{} -Timeout 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Rpc.DeadlineExceeded,*' -PassThru
        # The reflection answer timeout is 10 s: finishing well before it shows -Timeout was the bound.
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 8
        $err.Exception.Message | Should -BeLike '*within 1 s*descriptors*'
        $silent | Stop-RpcPlugin
        Wait-ProcessGone $silent.ProcessId | Should -BeTrue
    }
}

Describe 'What a failed call received' {
    It 'fills -ResponseHeadersVariable and -TrailersVariable when the call fails' {
        Invoke-RpcPluginMethod $session testplugin.Echo/Fail @{ code = 9; message = 'nope' } -Metadata @{ 'x-echo-a' = 'sent' } `
            -ResponseHeadersVariable headers -TrailersVariable trailers -ErrorAction SilentlyContinue
        $headers['x-echo-a'] | Should -Be 'sent'
        $trailers['trailer-x-echo-a'] | Should -Be 'sent'
    }
}

Describe 'What a failed call received, whatever the form of the call' {
    # -ErrorAction Stop ends the command at the failed call: the variables must be set by then, not at its end.
    It 'fills -ResponseHeadersVariable and -TrailersVariable after a failed call of <Form> under -ErrorAction Stop' -ForEach @(
        @{ Form = 'a piped request'; Call = { @{ code = 5 } | Invoke-RpcPluginMethod $session testplugin.Echo/Fail @Captured } }
        @{ Form = 'a piped session'; Call = { $session | Invoke-RpcPluginMethod -Method testplugin.Echo/Fail -Request @{ code = 5 } @Captured } }
        @{ Form = 'a piped method object'; Call = { Get-RpcPluginMethod Echo/Fail -Session $session | Invoke-RpcPluginMethod -Request @{ code = 5 } @Captured } }
        @{ Form = 'a server stream past -Timeout from a piped session'; Call = { $session | Invoke-RpcPluginMethod -Method testplugin.Echo/ServerStream -Request @{ count = 50; interval_ms = 100 } -Timeout 1 @Captured } }
    ) {
        $Captured = @{ Metadata = @{ 'x-echo-a' = 'sent' }; ResponseHeadersVariable = 'headers'; TrailersVariable = 'trailers'; ErrorAction = 'Stop' }
        $headers = 'old'
        $trailers = 'old'
        $thrown = $null
        try { . $Call } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $headers | Should -Not -Be 'old'
        $headers['x-echo-a'] | Should -Be 'sent'
        $trailers | Should -Not -Be 'old'
    }

    It 'holds the last call''s when several requests come through the pipeline' {
        $null = @{ code = 5; details = @{ which = 'first' } }, @{ details = @{ which = 'last' } } |
            Invoke-RpcPluginMethod $session testplugin.Echo/Fail -Metadata @{ 'x-echo-a' = 'sent' } `
                -ResponseHeadersVariable headers -TrailersVariable trailers -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures.Count | Should -Be 1
        $headers['x-echo-a'] | Should -Be 'sent'
        $trailers['which'] | Should -Be 'last'
    }
}

Describe 'Not finding the method or the session is the same non-terminating error in every form' {
    It 'writes MethodNotFound without throwing for <Form>' -ForEach @(
        @{ Form = 'a session and -Request'; Call = { Invoke-RpcPluginMethod $session testplugin.Echo/Nope @{} @Quiet } }
        @{ Form = '-SessionName'; Call = { Invoke-RpcPluginMethod -SessionName failures testplugin.Echo/Nope @{} @Quiet } }
        @{ Form = 'a piped session'; Call = { $session | Invoke-RpcPluginMethod -Method testplugin.Echo/Nope -Request @{} @Quiet } }
        @{ Form = 'piped requests'; Call = { @{}, @{} | Invoke-RpcPluginMethod $session testplugin.Echo/Nope @Quiet } }
    ) {
        $Quiet = @{ ErrorVariable = 'failures'; ErrorAction = 'SilentlyContinue' }
        $failures = @()
        $thrown = $null
        try { . $Call } catch { $thrown = $_ }
        $thrown | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.MethodNotFound,*'
        $failures[0].TargetObject | Should -Be 'testplugin.Echo/Nope'
    }

    It 'writes SessionNotFound without throwing, with the session name as its target' {
        $failures = @()
        $thrown = $null
        try { Invoke-RpcPluginMethod -SessionName nope testplugin.Echo/Unary @{} -ErrorVariable failures -ErrorAction SilentlyContinue } catch { $thrown = $_ }
        $thrown | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.SessionNotFound,*'
        $failures[0].TargetObject | Should -Be 'nope'
    }

    It 'stops with -ErrorAction Stop as a terminating error' {
        { Invoke-RpcPluginMethod $session testplugin.Echo/Nope @{} -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.MethodNotFound,*'
        { Invoke-RpcPluginMethod -SessionName nope testplugin.Echo/Unary @{} -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.SessionNotFound,*'
    }
}

Describe 'Errors scripts can catch by type' {
    It 'catches a call''s status as [RpcPlugin.RpcCallException]' {
        $caught = try {
            Invoke-RpcPluginMethod $session testplugin.Echo/Fail @{ code = 5; message = 'gone' } -ErrorAction Stop
        } catch [RpcPlugin.RpcCallException] {
            $_.Exception
        }
        $caught.StatusCode | Should -Be ([RpcPlugin.RpcStatusCode]::NotFound)
        $caught.Detail | Should -Be 'gone'
        $caught.ErrorId | Should -Be 'RpcPlugin.Rpc.NotFound'
        $caught.Method | Should -Be 'testplugin.Echo/Fail'
    }

    It 'catches every RpcPlugin error as [RpcPlugin.RpcPluginException]' {
        $caught = try {
            Invoke-RpcPluginMethod $session testplugin.Echo/Unary @{ nope = 1 } -ErrorAction Stop
        } catch [RpcPlugin.RpcPluginException] {
            $_.Exception.ErrorId
        }
        $caught | Should -Be 'RpcPlugin.InvalidRequest'
    }
}
