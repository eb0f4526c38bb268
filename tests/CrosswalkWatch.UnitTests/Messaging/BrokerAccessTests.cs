using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using CrosswalkWatch.Messaging;
using CrosswalkWatch.Messaging.Broker;
using CrosswalkWatch.Messaging.Central;

namespace CrosswalkWatch.UnitTests.Messaging;

/// <summary>The broker's rule set (both brokers are made from it), its mosquitto files and the accounts' passwords.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BrokerAccessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public static TheoryData<string?, string, bool> Publications => new()
    {
        { "site-a", "cww/v1/sites/a/candidates", true },
        { "site-a", "cww/v1/sites/a/health", true },
        { "site-a", "cww/v1/sites/a/health/cam1", true },
        { "site-a", "cww/v1/sites/b/candidates", false }, // as another site
        { "site-a", "cww/v1/sites/a", true }, // under its own level: harmless, nobody reads it
        { "site-a", "cww/v1/sites/ab/candidates", false },
        { "site-a", "cww/v1/office/notices", false },
        { "site-a", "cww/v1/sites/+/candidates", false }, // not a topic name
        { "site-a", "", false },
        { "central", "cww/v1/office/notices", true },
        { "central", "cww/v1/office/tallies", true },
        { "central", "cww/v1/sites/a/candidates", false },
        { "office", "cww/v1/office/notices", false },
        { "office", "cww/v1/sites/a/candidates", false },
        { "intruder", "cww/v1/sites/a/candidates", false },
        { null, "cww/v1/sites/a/candidates", false },
        { "", "cww/v1/sites/a/candidates", false },
        { "site-", "cww/v1/sites//candidates", false },
        { "signal-a", "cww/v1/sites/a/signals/cam1", true }, // the city's signal controller of site a
        { "signal-a", "cww/v1/sites/a/candidates", false },
        { "signal-a", "cww/v1/sites/a/health/cam1", false },
        { "signal-a", "cww/v1/sites/a/signals", false },
        { "signal-a", "cww/v1/sites/a/signals/cam1/x", false },
        { "signal-a", "cww/v1/sites/b/signals/cam1", false },
        { "signal-b", "cww/v1/sites/a/signals/cam1", false }, // another site's controller
        { "site-b", "cww/v1/sites/a/signals/cam1", false },   // another site's box
        { "signal-", "cww/v1/sites//signals/cam1", false },
    };

    public static TheoryData<string?, string, bool> Subscriptions => new()
    {
        { "central", "cww/v1/sites/+/candidates", true },
        { "central", "$share/cww-central/cww/v1/sites/+/candidates", true },
        { "central", "cww/v1/sites/a/candidates", true },
        { "central", "cww/v1/sites/+/health/#", true },
        { "central", "cww/v1/sites/a/health", true },
        { "central", "cww/v1/sites/+/+", false }, // would take anything a site says
        { "central", "cww/v1/#", false },
        { "central", "#", false },
        { "central", "$share/g/#", false },
        { "central", "$share//cww/v1/sites/+/candidates", false },
        { "central", "$share/g+/cww/v1/sites/+/candidates", false },
        { "central", "$share/g/", false },
        { "office", "cww/v1/office/notices", true },
        { "office", "cww/v1/office/#", true },
        { "office", "$share/office/cww/v1/office/tallies", true },
        { "office", "cww/v1/sites/+/candidates", false },
        { "office", "cww/v1/sites/a/candidates", false },
        { "office", "$share/g/cww/v1/sites/+/candidates", false },
        { "office", "cww/v1/#", false },
        { "office", "cww/#", false },
        { "office", "#", false },
        { "office", "+/v1/office/notices", false },
        { "office", "cww/v1/+/notices", false },
        { "office", "cww/v1/office/#/x", false }, // malformed
        { "office", "cww/v1/office/no+tices", false },
        { "office", "$SYS/#", false },
        { "office", "", false },
        { "site-a", "cww/v1/sites/a/candidates", false }, // a box reads nothing but its own signals
        { "site-a", "cww/v1/sites/b/candidates", false },
        { "site-a", "cww/v1/sites/a/signals/+", true },
        { "site-a", "cww/v1/sites/a/signals/cam1", true },
        { "site-a", "cww/v1/sites/b/signals/+", false },
        { "site-a", "cww/v1/sites/+/signals/+", false },
        { "site-a", "cww/v1/sites/a/#", false },
        { "signal-a", "cww/v1/sites/a/signals/+", false }, // a controller reads nothing
        { "central", "cww/v1/sites/+/signals/+", false },
        { "intruder", "cww/v1/office/notices", false },
        { null, "cww/v1/office/notices", false },
    };

    [Theory]
    [MemberData(nameof(Publications))]
    public void MayPublish_RoleAndTopic_OnlyItsOwn(string? user, string topic, bool allowed) =>
        Assert.Equal(allowed, BrokerAccess.MayPublish(BrokerRole.OfUser(user), topic));

    [Theory]
    [MemberData(nameof(Subscriptions))]
    public void MaySubscribe_RoleAndFilter_OnlyWhenEveryTopicItMatchesIsReadable(string? user, string filter, bool allowed) =>
        Assert.Equal(allowed, BrokerAccess.MaySubscribe(BrokerRole.OfUser(user), filter));

    [Theory]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/+", "a", false)]
    [InlineData("a/b", "a/+", false)]
    [InlineData("+/b", "$x/b", false)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("a", "", false)]
    public void Covers_FilterAndTopicOrFilter_AsMqttMatches(string outer, string inner, bool covers) =>
        Assert.Equal(covers, BrokerAccess.Covers(outer, inner));

    [Theory]
    [InlineData("jn-0417", "site-jn-0417")]
    [InlineData("a.b_c", "site-a.b_c")]
    public void OfUser_SiteUserName_IsThatSite(string site, string user)
    {
        Assert.Equal(user, BrokerRole.Site(site).UserName);
        Assert.Equal(BrokerRole.Site(site), BrokerRole.OfUser(user));
    }

    [Fact]
    public void OfUser_SignalUserName_IsThatSitesController()
    {
        Assert.Equal("signal-jn-0417", BrokerRole.Signal("jn-0417").UserName);
        Assert.Equal(BrokerRole.Signal("jn-0417"), BrokerRole.OfUser("signal-jn-0417"));
        Assert.NotEqual(BrokerRole.Site("jn-0417"), BrokerRole.OfUser("signal-jn-0417"));
        Assert.Null(BrokerRole.OfUser("signal-"));
        Assert.Throws<ArgumentException>(() => BrokerRole.Signal("a/b"));
    }

    [Fact]
    public void Acl_SignalController_WritesItsSitesSignalsOnly_TheBoxReadsThem()
    {
        var acl = MosquittoFiles.Acl([BrokerRole.Site("a"), BrokerRole.Signal("a")]);

        Assert.Contains("user site-a\ntopic write cww/v1/sites/a/#\ntopic read cww/v1/sites/a/signals/+\n", acl, StringComparison.Ordinal);
        Assert.Contains("user signal-a\ntopic write cww/v1/sites/a/signals/+\n", acl, StringComparison.Ordinal);
        Assert.DoesNotContain("readwrite", acl, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("a:b")]
    [InlineData("$x")]
    public void Site_IdThatCannotBeATopicLevel_Refused(string site) =>
        Assert.Throws<ArgumentException>(() => BrokerRole.Site(site));

    [Fact]
    public void Acl_TwoSites_EachWritesOnlyItsOwnCentralReadsCandidatesOfficeReadsOffice()
    {
        var acl = MosquittoFiles.Acl([BrokerRole.Site("a"), BrokerRole.Site("b"), BrokerRole.Central, BrokerRole.Office]);

        Assert.Contains("user site-a\ntopic write cww/v1/sites/a/#\n", acl, StringComparison.Ordinal);
        Assert.Contains("user site-b\ntopic write cww/v1/sites/b/#\n", acl, StringComparison.Ordinal);
        Assert.Contains("user central\ntopic read cww/v1/sites/+/candidates\ntopic read cww/v1/sites/+/health/#\ntopic write cww/v1/office/#\n", acl, StringComparison.Ordinal);
        Assert.Contains("user office\ntopic read cww/v1/office/#\n", acl, StringComparison.Ordinal);
        Assert.DoesNotContain("readwrite", acl, StringComparison.Ordinal);
        Assert.DoesNotContain("pattern", acl, StringComparison.Ordinal);
    }

    [Fact]
    public void Acl_NoAccounts_GrantsNothing() =>
        Assert.DoesNotContain("topic", MosquittoFiles.Acl([]).Replace("`cww broker acl`", "", StringComparison.Ordinal), StringComparison.Ordinal);

    [Fact]
    public void PasswdLine_Password_VerifiesItAndNoOther()
    {
        var line = MosquittoFiles.PasswdLine("site-a", "correct horse");

        Assert.StartsWith("site-a:$7$", line, StringComparison.Ordinal);
        Assert.True(MosquittoFiles.Verifies(line, "correct horse"));
        Assert.False(MosquittoFiles.Verifies(line, "correct hors"));
        Assert.NotEqual(line, MosquittoFiles.PasswdLine("site-a", "correct horse")); // a salt each
    }

    [Fact]
    public void OpenOrCreate_Twice_KeepsEachPasswordOwnerOnlyAndAddsOnlyTheNewAccount()
    {
        var folder = _temp.File("broker");
        var first = BrokerCredentials.OpenOrCreate(folder, [BrokerRole.Site("a"), BrokerRole.Central]);
        var again = BrokerCredentials.OpenOrCreate(folder, [BrokerRole.Site("a"), BrokerRole.Site("b"), BrokerRole.Central]);

        Assert.Equal(first.PasswordOf(BrokerRole.Site("a")), again.PasswordOf(BrokerRole.Site("a")));
        Assert.NotEqual(again.PasswordOf(BrokerRole.Site("a")), again.PasswordOf(BrokerRole.Site("b")));
        Assert.True(again.PasswordOf(BrokerRole.Central).Length >= 40);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        foreach (var role in again.Roles)
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(again.PasswordFileOf(role)));
        }

        Assert.True(again.Accepts("site-b", again.PasswordOf(BrokerRole.Site("b"))));
        Assert.False(again.Accepts("site-b", again.PasswordOf(BrokerRole.Site("a"))));
        Assert.False(again.Accepts("office", again.PasswordOf(BrokerRole.Central))); // not an account here
        Assert.False(again.Accepts(null, null));
    }

    [Fact]
    public void Write_Credentials_FilesOwnerOnlyAndNoPasswordInThem()
    {
        var credentials = BrokerCredentials.OpenOrCreate(_temp.File("broker"), [BrokerRole.Site("a"), BrokerRole.Central, BrokerRole.Office]);
        File.WriteAllText(MosquittoFiles.AclFile(credentials.Folder) + ".part", "planted"); // a stale part file is replaced, not written through

        MosquittoFiles.Write(credentials, 4096);

        var passwd = File.ReadAllLines(MosquittoFiles.PasswdFile(credentials.Folder));
        Assert.Equal(3, passwd.Length);
        foreach (var role in credentials.Roles)
        {
            var password = credentials.PasswordOf(role);
            Assert.True(MosquittoFiles.Verifies(Assert.Single(passwd, l => l.StartsWith(role.UserName + ":", StringComparison.Ordinal)), password));
            foreach (var file in new[] { MosquittoFiles.PasswdFile(credentials.Folder), MosquittoFiles.AclFile(credentials.Folder), MosquittoFiles.ConfFile(credentials.Folder) })
            {
                Assert.DoesNotContain(password, File.ReadAllText(file), StringComparison.Ordinal);
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        var conf = File.ReadAllText(MosquittoFiles.ConfFile(credentials.Folder));
        Assert.Contains("allow_anonymous false\n", conf, StringComparison.Ordinal);
        Assert.Contains($"max_packet_size {4096 + MosquittoFiles.PacketOverhead}\n", conf, StringComparison.Ordinal);
        Assert.False(File.Exists(MosquittoFiles.AclFile(credentials.Folder) + ".part"));
    }

    [Fact]
    public void MessageReference_LargeBinaryPayload_SizeHashAndPrintableHeadOnly()
    {
        var payload = new byte[1_000_000];
        payload[0] = (byte)'{';
        payload[1] = 0xFF;
        payload[2] = (byte)'\\';

        var reference = MessageReference.Of("cww/v1/sites/a/candidates", new ReadOnlySequence<byte>(payload));

        Assert.Equal(1_000_000, reference.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(payload)), reference.Sha256);
        Assert.StartsWith("{\\xff\\x5c\\x00", reference.Head, StringComparison.Ordinal);
        Assert.Equal(1 + (63 * 4), reference.Head.Length);
        Assert.True(reference.Describe().Length < 512);
    }

    [Fact]
    public void MessageReference_Empty_SizeZero()
    {
        var reference = MessageReference.Of("t", ReadOnlySequence<byte>.Empty);

        Assert.Equal(0, reference.Size);
        Assert.Equal("", reference.Head);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(""))), reference.Sha256);
    }

    public void Dispose() => _temp.Dispose();
}
