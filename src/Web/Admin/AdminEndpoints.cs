using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Pages;
using CrosswalkWatch.Web.Texts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Admin;

/// <summary>
/// Admins manage accounts (add, set role or password, disable, unlock) and read the audit log. Every change is
/// audited by the store in its own transaction.
/// </summary>
public static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPage("/admin", "admin/accounts.html", "admin.title", Roles.Admin, "admin/accounts.js");

        var api = app.MapGroup("/api/accounts").RequireAuthorization(Roles.Admin);
        api.MapGet("/", async (AccountService accounts, TimeProvider clock, CancellationToken ct) =>
        {
            var now = clock.GetUtcNow();
            var list = await accounts.Store.AccountsAsync(ct).ConfigureAwait(false);
            return Results.Json(list.Select(a => new
            {
                a.Username,
                a.Role,
                a.Disabled,
                locked = a.IsLocked(now),
                a.LockedUntil,
                a.FailedSignIns,
                a.CreatedAt,
                a.ChangedAt,
            }));
        });
        api.MapPost("/", async (HttpContext context, AccountService accounts, NewAccount body) =>
        {
            var problem = await accounts.CreateAsync(body.Username ?? "", body.Role ?? "", body.Password ?? "", CurrentUser.Name(context), context.RequestAborted).ConfigureAwait(false);
            return problem is null ? Results.Created($"/api/accounts/{body.Username}", new { body.Username, body.Role }) : context.Error(StatusCodes.Status400BadRequest, problem.Key, problem.Values);
        });
        api.MapPost("/{username}", async (HttpContext context, AccountService accounts, string username, AccountChange body) =>
        {
            var problem = await accounts.ChangeAsync(username, body, CurrentUser.Name(context), context.RequestAborted).ConfigureAwait(false);
            return problem is null ? Results.Ok(new { username })
                : context.Error(problem.Key == AccountProblem.NoAccount ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest, problem.Key, problem.Values);
        });

        // The newest 500 entries, each state before and after as JSON the page words field by field.
        app.MapGet("/api/audit", async (HttpContext context, CrosswalkWatch.Review.ReviewDesk desk, string? subject, CancellationToken ct) =>
        {
            var entries = await desk.Store.AuditAsync(subject, ct).ConfigureAwait(false);
            return Results.Json(entries.Reverse().Take(500).Select(a => new
            {
                a.Id,
                a.At,
                a.Actor,
                a.CaseId,
                a.Action,
                before = AuditStates.Of(context, a.Action, a.BeforeJson),
                after = AuditStates.Of(context, a.Action, a.AfterJson),
            }));
        }).RequireAuthorization(Roles.Admin);
    }

    public sealed record NewAccount(string? Username, string? Role, string? Password);
}
