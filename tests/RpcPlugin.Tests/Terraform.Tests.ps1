# Terraform provider sessions end to end against the test provider (tests/TerraformProvider, a real process that
# serves no reflection), started with -Terraform on protocols 6 and 5 (attaching: TerraformReattach.Tests.ps1).
# Values go in and come out as plain hashtables; diagnostics are errors and warnings.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'TerraformHelpers.ps1')
}

Describe 'Terraform provider sessions on protocol <Version>' -ForEach @(
    @{ Version = 6; Offered = $null }
    @{ Version = 5; Offered = 5 }
) {
    BeforeAll {
        $start = @{ Terraform = $true; Name = "provider$Version"; StartTimeout = 30 }
        if ($Offered) { $start.ProtocolVersion = $Offered }
        $session = Start-RpcPlugin $Provider @start
        $providerPid = $session.ProcessId
    }

    AfterAll {
        $session | Stop-RpcPlugin
        Wait-ProcessGone $providerPid | Should -BeTrue -Because 'a stopped provider leaves no process behind'
    }

    It 'is a Terraform session of protocol <Version> that knows the provider''s methods without reflection' {
        $session.Terraform | Should -BeTrue
        $session.ProtocolVersion | Should -Be $Version
        $session.Services | Should -Be "tfplugin$Version.Provider"
        $methods = (Get-RpcPluginMethod -Session $session).Name
        $methods | Should -Contain 'ReadDataSource'
        $methods | Should -Contain 'PlanResourceChange'
        $methods | Should -Contain $(if ($Version -eq 6) { 'ConfigureProvider' } else { 'Configure' })
        Test-RpcPlugin $session | Should -BeTrue
    }

    It 'shows the schema with each attribute''s type as text, its flags and descriptions' {
        $schema = Invoke-RpcPluginMethod $session (Get-Call $session GetProviderSchema)

        $schema.provider.block.description | Should -Be 'The RpcPlugin test provider.'
        $thing = $schema.resource_schemas['rpcplugin_thing']
        $thing.version | Should -Be 1
        $attributes = @{}; $thing.block.attributes | ForEach-Object { $attributes[$_.name] = $_ }
        $attributes.tags.type | Should -Be 'map(string)'
        $attributes.labels.type | Should -Be 'set(string)'
        $attributes.name.required | Should -BeTrue
        $attributes.password.sensitive | Should -BeTrue
        $attributes.password.optional | Should -BeTrue
        $attributes.serial.computed | Should -BeTrue
        $attributes.serial.type | Should -Be 'number'
        $attributes.data.type | Should -Be 'dynamic'
        $echo = $schema.data_source_schemas['rpcplugin_echo'].block.attributes
        ($echo | Where-Object name -EQ 'object').type | Should -Be 'object({a=number, b=string})'
        ($echo | Where-Object name -EQ 'tuple').type | Should -Be 'tuple([string, number, bool])'
        $thing.block.block_types.type_name | Should -Be 'rule', 'limit', 'options', 'label', 'tag_set'
        ($thing.block.block_types | Where-Object type_name -EQ 'label').nesting | Should -Be 'MAP'
        if ($Version -eq 6) {
            $attributes.ports.type | Should -Be 'list(object({port=number, protocol=optional(string)}))'
            $attributes.ports.nested_type.nesting | Should -Be 'LIST'
            $attributes.endpoints.type | Should -Be 'map(object({url=string}))'
        } else {
            $attributes.Keys | Should -Not -Contain 'ports'
        }
        $schema.diagnostics | Should -BeNullOrEmpty
    }

    It 'lists the provider''s types with GetMetadata' {
        $metadata = Invoke-RpcPluginMethod $session (Get-Call $session GetMetadata)
        $metadata.resources.type_name | Should -Be 'rpcplugin_thing'
        $metadata.data_sources.type_name | Should -Be 'rpcplugin_echo'
        $metadata.server_capabilities.plan_destroy | Should -BeTrue
    }

    It 'validates and configures the provider from hashtables; error diagnostics are errors with summary, detail and path, after the response' {
        $response = Invoke-RpcPluginMethod $session (Get-Call $session ValidateProviderConfig) @{ config = @{ retries = -1 } } -ErrorVariable diagnostics -ErrorAction SilentlyContinue

        $response | Should -Not -BeNullOrEmpty -Because 'the response is still written'
        $response.diagnostics[0].summary | Should -Be 'retries cannot be negative'
        $diagnostics.Count | Should -Be 1
        $error0 = $diagnostics[0]
        $error0.FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.Terraform.Diagnostic,*'
        $error0.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $error0.TargetObject | Should -Be 'retries'
        $error0.Exception | Should -BeOfType ([RpcPlugin.TerraformDiagnosticException])
        $error0.Exception.Summary | Should -Be 'retries cannot be negative'
        $error0.Exception.Detail | Should -Be 'Give 0 or more.'
        $error0.Exception.Attribute | Should -Be 'retries'
        $error0.Exception.Message | Should -Be 'retries cannot be negative: Give 0 or more. (at retries)'

        $settings = @{ endpoint = 'https://api.example.test'; token = 'secret'; retries = 3; features = @{ beta = $true } }
        $valid = Invoke-RpcPluginMethod $session (Get-Call $session ValidateProviderConfig) @{ config = $settings } -ErrorAction Stop
        $valid.diagnostics | Should -BeNullOrEmpty
        if ($Version -eq 5) {
            $valid.prepared_config.endpoint | Should -Be 'https://api.example.test'
            $valid.prepared_config.retries | Should -Be 3
            $valid.prepared_config.fail_configure | Should -BeNullOrEmpty -Because 'attributes not given are null'
        }

        { Invoke-RpcPluginMethod $session (Get-Call $session ConfigureProvider) @{ config = @{ fail_configure = $true } } -ErrorAction Stop } |
            Should -Throw -ErrorId 'RpcPlugin.Terraform.Diagnostic,*' -ExpectedMessage 'Configuration refused: fail_configure is true. (at fail_configure)'
        $caught = try { $null = Invoke-RpcPluginMethod $session (Get-Call $session ConfigureProvider) @{ config = @{ fail_configure = $true } } -ErrorAction Stop } catch [RpcPlugin.TerraformDiagnosticException] { $_.Exception.Attribute }
        $caught | Should -Be 'fail_configure'

        $configured = Invoke-RpcPluginMethod $session (Get-Call $session ConfigureProvider) ([pscustomobject]@{ terraform_version = '1.9.0'; config = [pscustomobject]$settings }) -ErrorAction Stop
        $configured.diagnostics | Should -BeNullOrEmpty
    }

    It 'reads the data source: every cty type as PowerShell values, provider_meta, and a warning diagnostic as a warning' {
        $config = @{
            input = @{ a = 1; b = @('x', 'y') }; text = 't'; number = 0.5; flag = $true
            list = 'a', 'b'; set = 1, 2; map = @{ k = 'v' }; object = @{ a = [bigint]::Parse('18446744073709551617'); b = 's' }
            tuple = 's', 2, $true; warn = 'careful'; item = @(@{ key = 'k1'; value = 'v1' })
        }
        $bad = Invoke-RpcPluginMethod $session (Get-Call $session ValidateDataResourceConfig) @{ type_name = 'rpcplugin_echo'; config = @{ text = 'bad' } } -ErrorVariable invalid -ErrorAction SilentlyContinue
        $invalid[0].TargetObject | Should -Be 'text'
        $bad.diagnostics.severity | Should -Be 'ERROR'

        $read = Invoke-RpcPluginMethod $session (Get-Call $session ReadDataSource) @{ type_name = 'rpcplugin_echo'; config = $config; provider_meta = @{ module_name = 'mod' } } -WarningVariable warnings -WarningAction SilentlyContinue -ErrorAction Stop

        $state = $read.state
        $state | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        @($state.Keys)[0..3] | Should -Be 'id', 'input', 'output', 'text'
        $state.id | Should -Be 'echo'
        $state.endpoint | Should -Be 'https://api.example.test'
        $state.module_name | Should -Be 'mod'
        $state.output.a | Should -BeOfType ([long])
        $state.output.b | Should -Be 'x', 'y'
        $state.number | Should -BeOfType ([double])
        $state.number | Should -Be 0.5
        $state.flag | Should -BeTrue
        $state.list | Should -Be 'a', 'b'
        $state.set | Should -Be 1, 2
        $state.map.k | Should -Be 'v'
        $state.object.a | Should -BeOfType ([System.Numerics.BigInteger])
        $state.object.a | Should -Be ([bigint]::Parse('18446744073709551617'))
        $state.tuple | Should -Be 's', 2, $true
        $state.item[0].key | Should -Be 'k1'
        $state.Text | Should -Be 't' -Because 'keys match case-insensitively'
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be 'careful: You asked for this warning. (at warn)'
    }

    It 'plans a new resource with unknown values, applies it, reads it and imports it, from plain hashtables' {
        $config = @{ name = 'web'; size = 2; tags = @{ env = 'test' }; rule = @(@{ port = 443; cidrs = @('10.0.0.0/8') }) }
        if ($Version -eq 6) { $config.settings = @{ mode = 'fast' } }
        $plan = Invoke-RpcPluginMethod $session (Get-Call $session PlanResourceChange) @{ type_name = 'rpcplugin_thing'; config = $config; proposed_new_state = $config } -ErrorAction Stop

        $planned = $plan.planned_state
        $planned.id | Should -Be $Unknown
        $planned.id | Should -BeOfType ([RpcPlugin.TerraformUnknown])
        "$($planned.created)" | Should -Be '(known after apply)'
        $planned.serial | Should -Be $Unknown
        $planned.name | Should -Be 'web'
        $planned.password | Should -BeNullOrEmpty
        $planned.rule[0].port | Should -Be 443
        if ($Version -eq 6) { $planned.settings.level | Should -Be $Unknown }

        $apply = Invoke-RpcPluginMethod $session (Get-Call $session ApplyResourceChange) @{ type_name = 'rpcplugin_thing'; config = $config; planned_state = $planned; prior_state = $null } -ErrorAction Stop
        $created = $apply.new_state
        $created.id | Should -Be 'thing-web'
        $created.created | Should -Be '2024-01-02T03:04:05Z'
        $created.serial | Should -BeOfType ([long])
        $created.tags.env | Should -Be 'test'
        if ($Version -eq 6) { $created.settings.level | Should -Be 1 }

        $read = Invoke-RpcPluginMethod $session (Get-Call $session ReadResource) @{ type_name = 'rpcplugin_thing'; current_state = $created } -ErrorAction Stop
        $read.new_state.id | Should -Be 'thing-web'
        $read.new_state.serial | Should -Be $created.serial

        $renamed = $config.Clone(); $renamed.name = 'web2'
        $update = Invoke-RpcPluginMethod $session (Get-Call $session PlanResourceChange) @{ type_name = 'rpcplugin_thing'; prior_state = $created; config = $renamed; proposed_new_state = $renamed } -ErrorAction Stop
        $update.requires_replace.steps.attribute_name | Should -Be 'name'
        $update.planned_state.id | Should -Be $Unknown
        $update.planned_state.created | Should -Be '2024-01-02T03:04:05Z'

        $imported = Invoke-RpcPluginMethod $session (Get-Call $session ImportResourceState) @{ type_name = 'rpcplugin_thing'; id = 'thing-web' } -ErrorAction Stop
        $imported.imported_resources[0].type_name | Should -Be 'rpcplugin_thing'
        $imported.imported_resources[0].state.id | Should -Be 'thing-web'
        $imported.imported_resources[0].state.serial | Should -Be $created.serial
        $new = Invoke-RpcPluginMethod $session (Get-Call $session ImportResourceState) @{ type_name = 'rpcplugin_thing'; id = 'import-db' } -ErrorAction Stop
        $new.imported_resources[0].state.name | Should -Be 'db'
        $null = Invoke-RpcPluginMethod $session (Get-Call $session ImportResourceState) @{ type_name = 'rpcplugin_thing'; id = 'nothing' } -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused[0].Exception.Summary | Should -Be 'Cannot import'

        $destroy = Invoke-RpcPluginMethod $session (Get-Call $session PlanResourceChange) @{ type_name = 'rpcplugin_thing'; prior_state = $created; config = $null; proposed_new_state = $null } -ErrorAction Stop
        $destroy.planned_state | Should -BeNullOrEmpty
        $gone = Invoke-RpcPluginMethod $session (Get-Call $session ApplyResourceChange) @{ type_name = 'rpcplugin_thing'; prior_state = $created; planned_state = $null } -ErrorAction Stop
        $gone.new_state | Should -BeNullOrEmpty
        (Invoke-RpcPluginMethod $session (Get-Call $session ReadResource) @{ type_name = 'rpcplugin_thing'; current_state = $created }).new_state | Should -BeNullOrEmpty
    }

    It 'validates a resource: each error diagnostic is its own error with the attribute path Terraform writes' {
        $config = @{ name = 'invalid'; tags = @{ forbidden = 'x' }; rule = @(@{ port = 80 }, @{ port = 70000 }) }
        $null = Invoke-RpcPluginMethod $session (Get-Call $session ValidateResourceConfig) @{ type_name = 'rpcplugin_thing'; config = $config } -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems.TargetObject | Should -Be 'name', 'rule[1].port', 'tags["forbidden"]'
        $problems[1].Exception.Message | Should -Be 'Invalid port: A port is between 1 and 65535. (at rule[1].port)'
        $problems[2].Exception.Message | Should -Be 'Forbidden tag (at tags["forbidden"])'
    }

    It 'upgrades a stored state given as JSON text to the current schema' {
        $upgraded = Invoke-RpcPluginMethod $session (Get-Call $session UpgradeResourceState) @{ type_name = 'rpcplugin_thing'; version = 0; raw_state = @{ json = '{"title":"old","size":4}' } } -ErrorAction Stop
        $upgraded.upgraded_state.name | Should -Be 'old'
        $upgraded.upgraded_state.size | Should -Be 4
    }

    It 'says which attribute of a value does not fit the schema, and which type names are valid' {
        $null = Invoke-RpcPluginMethod $session (Get-Call $session ValidateResourceConfig) @{ type_name = 'rpcplugin_thing'; config = @{ name = 'x'; rule = @(@{ port = 'eighty' }) } } -ErrorVariable wrong -ErrorAction SilentlyContinue
        $wrong[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.InvalidRequest,*'
        $wrong[0].Exception.Message | Should -BeLike "Invalid request field 'config.rule``[0``].port': expected a number*"

        $null = Invoke-RpcPluginMethod $session (Get-Call $session ReadDataSource) @{ type_name = 'rpcplugin_nope'; config = @{} } -ErrorVariable unknownType -ErrorAction SilentlyContinue
        $unknownType[0].Exception.Message | Should -BeLike "*'type_name'*no data source 'rpcplugin_nope'*rpcplugin_echo*"

        $null = Invoke-RpcPluginMethod $session (Get-Call $session PlanResourceChange) @{ config = @{ name = 'x' } } -ErrorVariable noType -ErrorAction SilentlyContinue
        $noType[0].Exception.Message | Should -BeLike "*'type_name'*rpcplugin_thing*"

        $null = Invoke-RpcPluginMethod $session (Get-Call $session ConfigureProvider) @{ config = @{ endpoint = 'x'; nope = 1 } } -ErrorVariable unknownName -ErrorAction SilentlyContinue
        $unknownName[0].Exception.Message | Should -BeLike "*config*nope*endpoint*"
    }

    It 'gives the untouched message with -Raw and -AsJson, diagnostics included and not written as errors; a byte[] is sent as msgpack; -AsHashtable converts' {
        $request = @{ config = [byte[]] (@(0x81, 0xA7) + [Text.Encoding]::ASCII.GetBytes('retries') + @(0xFF)) }
        $raw = Invoke-RpcPluginMethod $session (Get-Call $session ValidateProviderConfig) $request -Raw -ErrorVariable rawErrors
        $json = Invoke-RpcPluginMethod $session (Get-Call $session ValidateProviderConfig) $request -AsJson -ErrorVariable jsonErrors

        $raw.GetType() | Should -Be ([byte[]])
        $rawErrors | Should -BeNullOrEmpty
        $jsonErrors | Should -BeNullOrEmpty
        $parsed = $json | ConvertFrom-Json
        $parsed.diagnostics[0].summary | Should -Be 'retries cannot be negative'
        $parsed.diagnostics[0].attribute.steps[0].attributeName | Should -Be 'retries'
        if ($Version -eq 5) { [Convert]::FromBase64String($parsed.preparedConfig.msgpack) | Should -Be $request.config }

        $table = Invoke-RpcPluginMethod $session (Get-Call $session ValidateProviderConfig) @{ config = @{ retries = -1 } } -AsHashtable -ErrorVariable tableErrors -ErrorAction SilentlyContinue
        $table | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        $table.diagnostics[0].summary | Should -Be 'retries cannot be negative'
        $tableErrors.Count | Should -Be 1 -Because '-AsHashtable converts values and writes diagnostics as the default form does'
        if ($Version -eq 5) { $table.prepared_config.retries | Should -Be -1 }

        $schemaJson = Invoke-RpcPluginMethod $session (Get-Call $session GetProviderSchema) -AsJson | ConvertFrom-Json
        $tags = $schemaJson.resourceSchemas.rpcplugin_thing.block.attributes | Where-Object name -EQ 'tags'
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($tags.type)) | Should -Be '["map","string"]'
    }

    It 'answers StopProvider' {
        $stopped = Invoke-RpcPluginMethod $session (Get-Call $session StopProvider)
        $stopped.Error | Should -BeNullOrEmpty
    }
}

Describe 'Terraform sessions: starting' {
    It 'Use-RpcPlugin -Terraform runs a block with a provider and stops it' {
        $result = Use-RpcPlugin $Provider -Terraform -StartTimeout 30 {
            $s = $_
            [pscustomobject]@{
                Pid = $s.ProcessId; Terraform = $s.Terraform; Version = $s.ProtocolVersion
                Types = (Invoke-RpcPluginMethod $s GetMetadata).resources.type_name
            }
        }
        $result.Terraform | Should -BeTrue
        $result.Version | Should -Be 6
        $result.Types | Should -Be 'rpcplugin_thing'
        Wait-ProcessGone $result.Pid | Should -BeTrue
        Get-RpcPlugin | Should -BeNullOrEmpty
    }

    It 'takes a tfplugin6.proto given with -ProtoFile instead of the built-in one' {
        # The protocol's file with a comment of our own, which shows whose file the session uses.
        $proto = Join-Path $TestDrive 'tfplugin6.proto'
        (Get-Content -Raw (Join-Path $repoRoot 'protos/terraform/tfplugin6.proto')) -replace '(?m)^(\s*)rpc ReadDataSource', "`$1// Read from the user's file.`n`$1rpc ReadDataSource" | Set-Content $proto
        $s = Start-RpcPlugin $Provider -Terraform -ProtoFile $proto -StartTimeout 30
        try {
            $s.Services | Should -Be 'tfplugin6.Provider'
            (Get-RpcPluginService -Session $s).File | Should -Be 'tfplugin6.proto'
            (Get-RpcPluginMethod ReadDataSource -Session $s).Description | Should -Be "Read from the user's file."
            (Get-RpcPluginMethod ReadResource -Session $s).Description | Should -Not -Be "Read from the user's file." 
            $null = Invoke-RpcPluginMethod $s ConfigureProvider @{ config = @{ endpoint = 'from-proto' } } -ErrorAction Stop
            (Invoke-RpcPluginMethod $s ReadDataSource @{ type_name = 'rpcplugin_echo'; config = @{} } -AsHashtable -ErrorAction Stop).state.endpoint | Should -Be 'from-proto'
        } finally {
            $s | Stop-RpcPlugin
        }
    }

    It 'refuses protocol versions a provider cannot speak, starting nothing' {
        { Start-RpcPlugin $Provider -Terraform -ProtocolVersion 4, 6 } | Should -Throw -ErrorId 'RpcPlugin.InvalidArgument,*' -ExpectedMessage '*protocol version 5 or 6*'
        Get-RpcPlugin | Should -BeNullOrEmpty
    }

    It 'without -Terraform, a provider refuses to run (Terraform''s cookie is missing)' {
        { Start-RpcPlugin $Provider -ProtocolVersion 6 -StartTimeout 30 } | Should -Throw -ErrorId 'RpcPlugin.MagicCookieRejected,*'
    }
}

Describe 'Terraform sessions: the provider''s schema' {
    AfterEach {
        $sessions = @(Get-RpcPlugin)
        $sessions | Stop-RpcPlugin
        foreach ($s in $sessions) { Wait-ProcessGone $s.ProcessId | Should -BeTrue }
    }

    It 'is fetched once, by the first call that needs it, or taken from the user''s own GetProviderSchema call' {
        $fetching = Start-RpcPlugin $Provider -Terraform -StartTimeout 30 -Name fetching
        $first = Invoke-RpcPluginMethod $fetching ValidateProviderConfig @{ config = @{} } -Verbose 4>&1
        $second = Invoke-RpcPluginMethod $fetching ValidateProviderConfig @{ config = @{} } -Verbose 4>&1
        @($first | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Fetching the schema*' }).Count | Should -Be 1
        @($second | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Fetching the schema*' }).Count | Should -Be 0

        $own = Start-RpcPlugin $Provider -Terraform -StartTimeout 30 -Name own
        $null = Invoke-RpcPluginMethod $own GetProviderSchema
        $after = Invoke-RpcPluginMethod $own ValidateProviderConfig @{ config = @{} } -Verbose 4>&1
        @($after | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -like 'Fetching the schema*' }).Count | Should -Be 0
        Wait-Until { @(Get-RpcPluginLog $own | Where-Object Message -EQ 'schema requested').Count -ge 1 } | Should -BeTrue
        @(Get-RpcPluginLog $own | Where-Object Message -EQ 'schema requested').Count | Should -Be 1
    }

    It 'that the provider cannot give fails each call that needs it with the provider''s diagnostic; calls that do not need it work' {
        $broken = Start-RpcPlugin $Provider -Terraform -StartTimeout 30 -Environment @{ TF_TESTPROVIDER_SCHEMA_ERROR = 'Credentials missing' }

        $out = Invoke-RpcPluginMethod $broken ConfigureProvider @{ config = @{} } -ErrorVariable failed -ErrorAction SilentlyContinue

        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.Terraform.Diagnostic,*'
        $failed[0].Exception.Summary | Should -Be 'Credentials missing'
        $failed[0].Exception.Message | Should -BeLike "*did not give its schema*Credentials missing*"
        (Invoke-RpcPluginMethod $broken GetMetadata).resources.type_name | Should -Be 'rpcplugin_thing'
        (Invoke-RpcPluginMethod $broken GetProviderSchema -ErrorVariable schemaErrors -ErrorAction SilentlyContinue).diagnostics.summary | Should -Be 'Credentials missing'
        $schemaErrors.Count | Should -Be 1
    }

    It 'is waited for within the call''s -Timeout' {
        $slow = Start-RpcPlugin $Provider -Terraform -StartTimeout 30 -Environment @{ TF_TESTPROVIDER_SCHEMA_DELAY = '30' }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()

        $null = Invoke-RpcPluginMethod $slow ValidateProviderConfig @{ config = @{} } -Timeout 0.5 -ErrorVariable late -ErrorAction SilentlyContinue

        $watch.Elapsed.TotalSeconds | Should -BeLessThan 20 -Because 'the wait ends at the timeout, not when the schema comes'
        $late[0].FullyQualifiedErrorId | Should -BeLike 'RpcPlugin.Rpc.DeadlineExceeded,*'
        $late[0].Exception.Message | Should -BeLike '*did not send its schema*'
    }
}
