BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Get-RpcPlugin' {
    BeforeAll {
        $one = Start-TestPlugin -Parameters @{ Name = 'kv-one' }
        $two = Start-TestPlugin -Parameters @{ Name = 'kv-two' }
        $other = Start-TestPlugin -Parameters @{ Name = 'other' }
    }

    AfterAll {
        Get-RpcPlugin | Stop-RpcPlugin
        foreach ($s in $one, $two, $other) { Test-ProcessGone $s.ProcessId | Should -BeTrue }
    }

    It 'lists every session of the runspace in Id order' {
        (Get-RpcPlugin).Name | Should -Be @('kv-one', 'kv-two', 'other')
    }

    It 'filters by name with wildcards, case-insensitively' {
        (Get-RpcPlugin 'KV-*').Name | Should -Be @('kv-one', 'kv-two')
    }

    It 'filters by id' {
        (Get-RpcPlugin -Id $two.Id).Name | Should -Be 'kv-two'
    }

    It 'reports a plain name that matches nothing, but not a wildcard' {
        { Get-RpcPlugin 'missing' -ErrorAction Stop } | Should -Throw -ErrorId 'RpcPlugin.SessionNotFound,*'
        Get-RpcPlugin 'missing*' -ErrorAction Stop | Should -BeNullOrEmpty
    }

    It 'keeps a session whose plugin exited listed as Exited with its exit code' {
        $crashed = Start-TestPlugin -Parameters @{ Name = 'crasher' }
        try {
            Stop-Process -Id $crashed.ProcessId -Force
            Wait-Until { $crashed.State -eq 'Exited' } | Should -BeTrue
            (Get-RpcPlugin 'crasher').ExitCode | Should -Be 137
        } finally { $crashed | Stop-RpcPlugin }
    }

    It 'shows a session in a table that fits 120 columns' {
        $text = Get-RpcPlugin | Format-Table | Out-String -Width 120
        $text | Should -Match 'kv-one'
        ($text -split "`n" | Measure-Object -Maximum Length).Maximum | Should -BeLessOrEqual 120
    }

    It 'sees only the sessions of its own runspace' {
        $runspace = New-TestRunspace
        try {
            Invoke-InRunspace $runspace '$null = Start-RpcPlugin $TestPlugin -Name elsewhere -ProtocolVersion 2'
            (Invoke-InRunspace $runspace 'Get-RpcPlugin').Name | Should -Be 'elsewhere'
            (Get-RpcPlugin).Name | Should -Not -Contain 'elsewhere'
        } finally {
            Invoke-InRunspace $runspace 'Get-RpcPlugin | Stop-RpcPlugin'
            $runspace.Dispose()
        }
    }

    It 'completes session names' {
        $result = TabExpansion2 -inputScript 'Get-RpcPlugin kv-' -cursorColumn 'Get-RpcPlugin kv-'.Length
        $result.CompletionMatches.CompletionText | Should -Be @('kv-one', 'kv-two')
    }
}
