using CrosswalkWatch.Web;
using CrosswalkWatch.Web.Accounts;

namespace CrosswalkWatch.UnitTests.Web;

/// <summary>Where the console sends a browser back to after signing in: its own paths only.</summary>
public sealed class LocalUrlTests
{
    [Theory]
    [InlineData("/")]
    [InlineData("/review")]
    [InlineData("/review/cases/c-1?tab=plate")]
    [InlineData("/operator/cameras/cam%201")]
    public void LocalUrl_OwnPath_IsKept(string url)
    {
        Assert.Equal(url, CurrentUser.LocalUrl(url));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("review")]
    [InlineData("//evil.example")]
    [InlineData("///evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("/review\\..\\evil")]
    [InlineData("/%5Cevil")]
    [InlineData("/%5cevil")]
    [InlineData("/%2F%2Fevil.example")]
    [InlineData("/%2f/evil.example")]
    [InlineData("/%255Cevil")]
    [InlineData("/%25255Cevil")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/\tevil")]
    [InlineData("/ /evil")]
    [InlineData("/review\r\nSet-Cookie: x=1")]
    [InlineData("/review%0d%0aSet-Cookie:%20x=1")]
    [InlineData("/%09/evil.example")]
    [InlineData("/révue")]
    public void LocalUrl_AnythingThatCouldLeaveTheConsole_IsRefused(string? url)
    {
        Assert.Null(CurrentUser.LocalUrl(url));
    }

    [Fact]
    public void SessionIds_AreRandomAndKeptOnlyAsTheirHash()
    {
        var a = SessionIds.New();
        var b = SessionIds.New();

        Assert.NotEqual(a, b);
        Assert.Equal(43, a.Length);
        Assert.Equal(SessionIds.Hash(a), SessionIds.Hash(a));
        Assert.DoesNotContain(a, SessionIds.Hash(a), StringComparison.Ordinal);
        Assert.Equal(64, SessionIds.Hash(a).Length);
    }
}
