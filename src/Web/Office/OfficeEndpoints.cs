using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Pages;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Office;

/// <summary>The office role's pages and API.</summary>
public static class OfficeEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPage("/office", "office/tallies.html", "Tallies and notices", Roles.Office, "office/tallies.js");
    }
}
