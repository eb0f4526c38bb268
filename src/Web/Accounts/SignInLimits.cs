using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using CrosswalkWatch.Domain.Config;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;

namespace CrosswalkWatch.Web.Accounts;

/// <summary>
/// Bounds the work sign-in attempts can cause (each costs a slow hash, on the cores the detector uses), with ASP.NET
/// Core's rate limiting: per client address (<see cref="WebConfig.SignInsPerAddressPerMinute"/>, IPv6 by /64), per
/// user name from any address (<see cref="WebConfig.SignInsPerAccountPerMinute"/>), and one hash at a time for the
/// whole console with <see cref="QueueLimit"/> waiting. Beyond them: 429 with Retry-After, before the password is
/// looked at and without counting a failure. The answer is the same whichever limit was reached.
/// </summary>
internal static class SignInLimits
{
    /// <summary>Sign-ins hashed at once, for the whole console: one, so attempts never take more than a core from detection.</summary>
    public const int ConcurrentHashes = 1;

    /// <summary>Sign-ins that may wait for the hash beyond the one running; more are refused with 429.</summary>
    public const int QueueLimit = 16;

    /// <summary>Marks the endpoint the limits apply to (the sign-in form's POST).</summary>
    public static readonly object Limited = new LimitedEndpoint();

    /// <summary>The console's global limiter: no limit for anything but the marked endpoint.</summary>
    public static PartitionedRateLimiter<HttpContext> Create(WebConfig web)
    {
        ArgumentNullException.ThrowIfNull(web);
        return PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(c => IsSignIn(c)
                ? RateLimitPartition.GetFixedWindowLimiter("address " + AddressKey(c.Connection.RemoteIpAddress), _ => PerMinute(web.SignInsPerAddressPerMinute))
                : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(c => IsSignIn(c) && AccountKey(c) is { } account
                ? RateLimitPartition.GetFixedWindowLimiter("account " + account, _ => PerMinute(web.SignInsPerAccountPerMinute))
                : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(c => IsSignIn(c)
                ? RateLimitPartition.GetConcurrencyLimiter("hash", _ => new ConcurrencyLimiterOptions { PermitLimit = ConcurrentHashes, QueueLimit = QueueLimit, QueueProcessingOrder = QueueProcessingOrder.OldestFirst })
                : RateLimitPartition.GetNoLimiter("")));
    }

    /// <summary>
    /// Reads the sign-in form before the limiter runs, so the per-name limit sees the name whichever way the
    /// anti-forgery token came (a header token leaves the form unread).
    /// </summary>
    public static async Task ReadFormFirst(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (IsSignIn(context) && context.Request.HasFormContentType)
        {
            await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }

        await next().ConfigureAwait(false);
    }

    /// <summary>The refusal: 429, Retry-After in whole seconds (1 when the hash queue was full), and why.</summary>
    public static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        var response = rejected.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"429: too many sign-in attempts from this address or for this user name; try again in {seconds} s"), cancellationToken).ConfigureAwait(false);
    }

    private static bool IsSignIn(HttpContext context) => context.GetEndpoint()?.Metadata.GetMetadata<LimitedEndpoint>() is not null;

    /// <summary>The user name of the form (already read), as the per-name limit counts it; null when there is none.</summary>
    private static string? AccountKey(HttpContext context)
    {
        var name = context.Features.Get<IFormFeature>()?.Form?["username"].ToString().Trim();
        return string.IsNullOrEmpty(name) ? null : name[..Math.Min(name.Length, 64)].ToUpperInvariant();
    }

    /// <summary>An IPv4 address as it is; an IPv6 address by its /64 (one machine usually has a whole /64 to pick from).</summary>
    private static string AddressKey(IPAddress? address)
    {
        if (address is null)
        {
            return "";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString() + "/64";
    }

    private static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };

    private sealed class LimitedEndpoint;
}
