<#
.SYNOPSIS
    A Pester contract test for a go-plugin plugin, as a plugin author would write one for their own plugin.

.DESCRIPTION
    Copy this file next to your plugin and change the BeforeAll block and the It blocks to your service. It tests
    the plugin from the outside, the way a host (Terraform, Vault, Packer, your own tool) sees it:

      - it completes the go-plugin handshake with the expected cookie and protocol version, with AutoMTLS;
      - it serves the expected gRPC service and methods (server reflection), and reports SERVING on the
        gRPC health service;
      - its methods behave (here: proto.KV Put then Get returns what was put, overwrites, unknown keys);
      - it refuses to run without the host's magic cookie, with go-plugin's message;
      - it logs hclog JSON lines on stderr;
      - it stops cleanly on the Shutdown RPC: exit code 0, no process left, no socket file left.

    Written here against this repository's example KV plugin (examples/KvPlugin: cookie BASIC_PLUGIN=hello,
    service proto.KV), the same service as HashiCorp go-plugin's own examples/grpc.

.PARAMETER PluginPath
    The plugin under test. Default: $env:RPCPLUGIN_KVPLUGIN, else this repository's out/examples/KvPlugin/KvPlugin.

.PARAMETER ModulePath
    The RpcPlugin module. Default: $env:RPCPLUGIN_MODULE, else this repository's out/RpcPlugin, else the installed
    RpcPlugin.

.EXAMPLE
    Invoke-Pester ./examples/PluginContract.Tests.ps1 -Output Detailed

.EXAMPLE
    $container = New-PesterContainer -Path ./examples/PluginContract.Tests.ps1 -Data @{ PluginPath = './bin/kv-plugin' }
    Invoke-Pester -Container $container -CI

    Runs the contract against another build of the plugin and writes testResults.xml (NUnit) for CI.
#>
#Requires -Version 7.4
param(
    [string] $PluginPath = $(
        if ($env:RPCPLUGIN_KVPLUGIN) { $env:RPCPLUGIN_KVPLUGIN } else { Join-Path $PSScriptRoot '../out/examples/KvPlugin/KvPlugin' }
    ),
    [string] $ModulePath = $(
        if ($env:RPCPLUGIN_MODULE) { $env:RPCPLUGIN_MODULE }
        elseif (Test-Path (Join-Path $PSScriptRoot '../out/RpcPlugin/RpcPlugin.psd1')) { Join-Path $PSScriptRoot '../out/RpcPlugin/RpcPlugin.psd1' }
        else { 'RpcPlugin' }
    )
)

BeforeAll {
    Import-Module $ModulePath

    # The plugin's handshake: what its host must set, and the versions it speaks.
    $cookie = @{ MagicCookieKey = 'BASIC_PLUGIN'; MagicCookieValue = 'hello' }
    $kv = Start-RpcPlugin $PluginPath -Name kv-contract @cookie -StartTimeout 30

    # A failed call should fail the test, not just write an error.
    $PSDefaultParameterValues = @{ 'Invoke-RpcPluginMethod:ErrorAction' = 'Stop' }

    # (The comma keeps an empty array an array instead of letting PowerShell unroll it to nothing.)
    function ConvertTo-Bytes([string] $Text) { , [Text.Encoding]::UTF8.GetBytes($Text) }
    function ConvertFrom-Bytes([byte[]] $Bytes) { [Text.Encoding]::UTF8.GetString($Bytes) }
}

AfterAll {
    # Whatever happened above, leave nothing running.
    if ($kv -and -not $kv.ExitTime) { $kv | Stop-RpcPlugin -Force }
}

Describe 'KV plugin contract' {
    Context 'handshake' {
        It 'completes the go-plugin handshake over gRPC with AutoMTLS, protocol version 1' {
            $kv.State | Should -Be 'Ready'
            $kv.ProtocolVersion | Should -Be 1
            $kv.Tls | Should -BeTrue
            $kv.Network | Should -BeIn 'unix', 'tcp'
        }

        It 'refuses to run without the host''s magic cookie, with go-plugin''s message' {
            { Start-RpcPlugin $PluginPath -MagicCookieKey BASIC_PLUGIN -MagicCookieValue wrong -StartTimeout 30 } |
                Should -Throw -ErrorId 'RpcPlugin.MagicCookieRejected,*' -ExpectedMessage '*This binary is a plugin*'
        }
    }

    Context 'service' {
        It 'serves proto.KV with Get and Put (unary)' {
            $methods = Get-RpcPluginMethod -Session $kv -Service proto.KV
            $methods.Name | Sort-Object | Should -Be 'Get', 'Put'
            $methods | ForEach-Object { "$($_.Kind)" } | Should -Be 'Unary', 'Unary'
        }

        It 'reports SERVING on the gRPC health service' {
            $health = Test-RpcPlugin $kv -Detailed
            $health.Healthy | Should -BeTrue
            $health.Status | Should -Be 'SERVING'
            $health.ProcessAlive | Should -BeTrue
        }
    }

    Context 'behaviour' {
        It 'returns what was put: <Key>' -ForEach @(
            @{ Key = 'greeting'; Value = 'hello' }
            @{ Key = 'unicode ключ ✓'; Value = 'naïve café 👍' }
            @{ Key = 'empty'; Value = '' }
        ) {
            Invoke-RpcPluginMethod $kv proto.KV/Put @{ key = $Key; value = (ConvertTo-Bytes $Value) }
            $reply = Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = $Key }
            ConvertFrom-Bytes $reply.value | Should -BeExactly $Value
        }

        It 'keeps binary values byte for byte' {
            $bytes = [byte[]](0..255)
            Invoke-RpcPluginMethod $kv proto.KV/Put @{ key = 'binary'; value = $bytes }
            (Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = 'binary' }).value | Should -Be $bytes
        }

        It 'overwrites a key that is put again' {
            Invoke-RpcPluginMethod $kv proto.KV/Put @{ key = 'counter'; value = (ConvertTo-Bytes 'one') }
            Invoke-RpcPluginMethod $kv proto.KV/Put @{ key = 'counter'; value = (ConvertTo-Bytes 'two') }
            ConvertFrom-Bytes (Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = 'counter' }).value | Should -Be 'two'
        }

        It 'returns an empty value for a key never put' {
            $reply = Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = 'never-put' }
            @($reply.value).Count | Should -Be 0
        }

        It 'answers many calls in a row from one connection' {
            1..50 | ForEach-Object { @{ key = "k$_"; value = [byte[]]($_) } } | Invoke-RpcPluginMethod $kv proto.KV/Put
            (1..50 | ForEach-Object { (Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = "k$_" }).value[0] }) | Should -Be (1..50)
        }

        It 'rejects a request with an unknown field before it is sent' {
            { Invoke-RpcPluginMethod $kv proto.KV/Get @{ key = 'a'; nosuchfield = 1 } -ErrorAction Stop } |
                Should -Throw -ErrorId 'RpcPlugin.InvalidRequest,*'
        }
    }

    Context 'logging' {
        It 'logs hclog JSON on stderr' {
            $log = @(Get-RpcPluginLog $kv)
            $log.Count | Should -BeGreaterThan 0
            $log | Where-Object Source -EQ 'Stderr' | Should -Not -BeNullOrEmpty
            $log | Where-Object { $_.Module } | Should -Not -BeNullOrEmpty -Because 'hclog JSON lines carry @module'
        }
    }

    Context 'shutdown' {
        It 'stops cleanly on the Shutdown RPC: exit code 0, no process, no socket file' {
            $processId = $kv.ProcessId
            $kv | Stop-RpcPlugin -Timeout 5
            $kv.ExitCode | Should -Be 0 -Because 'a plugin should exit by itself on Shutdown, not need a signal'
            Get-Process -Id $processId -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            if ($kv.Network -eq 'unix') { Test-Path $kv.Address | Should -BeFalse }
        }
    }
}
