using CrosswalkWatch.Domain.Config;
using CrosswalkWatch.Storage;

namespace CrosswalkWatch.IntegrationTests.Web;

/// <summary>Admins manage accounts in the browser; every change is in the audit log; `cww accounts` makes the first admin.</summary>
public sealed class AdminConsoleTests
{
    [Fact]
    public async Task Browser_AdminAddsAndDisablesAccounts_AndTheAuditLogHasBoth()
    {
        await using var server = new ConsoleServer();
        await server.AddAccountsAsync();
        await server.StartAsync();

        await Browser.RunAsync("admin-accounts", new { baseUrl = server.Address.ToString(), password = ConsoleServer.Password });

        using var cases = Stores.OpenCases(new StorageConfig(), server.Data);
        var audit = await cases.AuditAsync();
        Assert.Contains(audit, a => a is { CaseId: "account:reviewer2", Action: "account-created", Actor: "admin" });
        var disabled = Assert.Single(audit, a => a is { CaseId: "account:police", Action: "account-disabled" });
        Assert.Equal("admin", disabled.Actor);
        Assert.DoesNotContain("pbkdf2", disabled.AfterJson, StringComparison.Ordinal);
        Assert.DoesNotContain(audit, a => a.CaseId == "account:shorty");
    }

    [Fact]
    public async Task AccountsAdd_ReadsThePasswordFromAFile_AndRefusesAWeakOneWithTheReason()
    {
        await using var server = new ConsoleServer();
        var file = server.Folder.File("password.txt");
        await File.WriteAllTextAsync(file, "first-admin-password\n");
        var added = await CwwProcess.RunAsync(TimeSpan.FromMinutes(1), "accounts", "add", "chief", "--role", "admin", "--password-file", file, "--data", server.Data);
        Assert.True(added.ExitCode == 0, added.All);

        await File.WriteAllTextAsync(file, "short\n");
        var weak = await CwwProcess.RunAsync(TimeSpan.FromMinutes(1), "accounts", "add", "other", "--role", "police", "--password-file", file, "--data", server.Data);
        Assert.Equal(2, weak.ExitCode);
        Assert.Contains("at least 10 characters", weak.Error, StringComparison.Ordinal);

        using var store = ConsoleStore.Open(new StorageConfig(), server.Data);
        var accounts = await store.AccountsAsync();
        Assert.Equal(["chief"], accounts.Select(a => a.Username));
        Assert.StartsWith("pbkdf2-sha256$600000$", accounts[0].PasswordHash, StringComparison.Ordinal);
    }
}
