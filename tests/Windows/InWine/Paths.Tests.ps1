# Start-RpcPlugin's -FilePath and -WorkingDirectory as a Windows user writes them.
BeforeDiscovery {
    $NoGoPeers = -not (Test-Path (Join-Path $env:RPCPLUGIN_WIN_PEERS 'go-echo-plugin.exe'))
    $NoTestPlugin = -not $env:RPCPLUGIN_WIN_TESTPLUGIN
}

BeforeAll {
    . (Join-Path $PSScriptRoot '../WindowsTestHelpers.ps1')

    function Assert-StartsAndStops {
        # Starts go-echo-plugin by the path given, calls it, stops it; returns the session.
        param([Parameter(Mandatory)] [string] $Path)
        $session = Start-GoEcho -Path $Path
        try {
            (Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'hi' }).text | Should -Be 'hi'
        } finally {
            $session | Stop-RpcPlugin
        }
        Wait-ProcessGone $session.ProcessId | Should -BeTrue
        $session
    }

    $spaced = Join-Path (New-LaneDirectory 'Program Files') 'RpcPlugin Lane'
    $null = New-Item -ItemType Directory $spaced
    if (-not $NoGoPeers) { Copy-Item $GoEcho (Join-Path $spaced 'go echo plugin.exe') }
}

AfterAll {
    Get-RpcPlugin | Stop-RpcPlugin
}

Describe 'Start-RpcPlugin -FilePath on Windows' -Skip:$NoGoPeers {
    AfterEach {
        Pop-Location -ErrorAction SilentlyContinue
    }

    It 'starts a plugin by its full path with .exe' {
        $session = Assert-StartsAndStops $GoEcho
        $session.FilePath | Should -Be $GoEcho
    }

    It 'starts a plugin by its full path without .exe, as PowerShell runs it' {
        $session = Assert-StartsAndStops ($GoEcho -replace '\.exe$')
        $session.FilePath | Should -Be $GoEcho
    }

    It 'starts .\plugin.exe relative to the current location' {
        Push-Location $Peers
        $session = Assert-StartsAndStops '.\go-echo-plugin.exe'
        $session.FilePath | Should -Be $GoEcho
    }

    It 'starts .\plugin without .exe' {
        Push-Location $Peers
        $session = Assert-StartsAndStops '.\go-echo-plugin'
        $session.FilePath | Should -Be $GoEcho
    }

    It 'starts a relative path with backslashes, and with forward slashes' {
        Push-Location (Split-Path $Peers)
        (Assert-StartsAndStops 'peers\go-echo-plugin.exe').FilePath | Should -Be $GoEcho
        (Assert-StartsAndStops './peers/go-echo-plugin').FilePath | Should -Be $GoEcho
    }

    It 'starts a plugin by a C:\ path with spaces' {
        $path = Join-Path $spaced 'go echo plugin.exe'
        $path | Should -BeLike 'C:\rpcplugin-lane\Program Files-*\RpcPlugin Lane\go echo plugin.exe'
        (Assert-StartsAndStops $path).FilePath | Should -Be $path
    }

    It 'starts a plugin by a relative path with spaces, from another drive' {
        Push-Location (Split-Path $spaced)
        (Assert-StartsAndStops '.\RpcPlugin Lane\go echo plugin').FilePath | Should -Be (Join-Path $spaced 'go echo plugin.exe')
    }

    It 'starts a plugin through a PowerShell drive' {
        $null = New-PSDrive -Name RpcLane -PSProvider FileSystem -Root $spaced
        try {
            (Assert-StartsAndStops 'RpcLane:\go echo plugin.exe').FilePath | Should -Be (Join-Path $spaced 'go echo plugin.exe')
        } finally { Remove-PSDrive RpcLane }
    }

    It 'finds a bare name on PATH with the PATHEXT extensions' {
        $saved = $env:PATH
        $env:PATH = "$spaced;$env:PATH"
        Push-Location C:\
        try {
            (Assert-StartsAndStops 'go echo plugin').FilePath | Should -Be (Join-Path $spaced 'go echo plugin.exe')
        } finally { $env:PATH = $saved }
    }

    It 'starts a .cmd wrapper by its name without extension, and Stop ends the wrapper and the plugin' {
        $dir = New-LaneDirectory 'wrapper'
        Set-Content (Join-Path $dir 'echo-wrapper.cmd') "@`"$GoEcho`" %*"
        Push-Location $dir
        $session = Start-GoEcho -Path '.\echo-wrapper'
        $session.FilePath | Should -Be (Join-Path $dir 'echo-wrapper.cmd')
        $reply = Invoke-RpcPluginMethod $session goecho.Echo/Unary @{ text = 'through cmd' }
        $reply.text | Should -Be 'through cmd'
        $reply.pid | Should -Not -Be $session.ProcessId -Because 'the session''s process is cmd.exe, the plugin its child'

        $session | Stop-RpcPlugin

        Wait-ProcessGone $session.ProcessId | Should -BeTrue
        Wait-ProcessGone $reply.pid | Should -BeTrue
    }

    It 'says which Windows path it looked for when the plugin is missing' {
        Push-Location $Peers
        $err = { Start-GoEcho -Path '.\no-such-plugin' } | Should -Throw -ErrorId 'RpcPlugin.PluginNotFound,*' -PassThru
        $err.Exception.Message | Should -BeLike "*'$Peers\no-such-plugin'*"
    }
}

Describe 'Start-RpcPlugin -WorkingDirectory on Windows' -Skip:$NoTestPlugin {
    AfterEach {
        Get-RpcPlugin | Stop-RpcPlugin
        Pop-Location -ErrorAction SilentlyContinue
    }

    It 'runs the plugin in the current PowerShell location by default' {
        $dir = New-LaneDirectory 'cwd'
        Push-Location $dir
        $session = Start-WinTestPlugin
        (Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo).working_directory.TrimEnd('\') | Should -Be $dir
    }

    It 'takes a relative -WorkingDirectory with spaces' {
        $dir = New-LaneDirectory 'wd'
        $null = New-Item -ItemType Directory (Join-Path $dir 'sub dir')
        Push-Location $dir
        $session = Start-WinTestPlugin -Parameters @{ WorkingDirectory = '.\sub dir' }
        (Invoke-RpcPluginMethod $session testplugin.Echo/GetInfo).working_directory.TrimEnd('\') | Should -Be (Join-Path $dir 'sub dir')
    }

    It 'takes a C:\ -WorkingDirectory, and Go sees it too' -Skip:$NoGoPeers {
        $dir = New-LaneDirectory 'go wd'
        $session = Start-GoEcho -Parameters @{ WorkingDirectory = $dir }
        (Get-GoStartLog $session).Fields['working_directory'] | Should -Be $dir
    }

    It 'names the Windows path of a -WorkingDirectory that does not exist' {
        Push-Location C:\
        { Start-WinTestPlugin -Parameters @{ WorkingDirectory = '.\no such dir' } } | Should -Throw "*'C:\no such dir'*"
    }
}
