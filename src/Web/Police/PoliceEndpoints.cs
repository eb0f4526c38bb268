using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Pages;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Police;

/// <summary>The police role's pages and API.</summary>
public static class PoliceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPage("/review", "police/queue.html", "Review queue", Roles.Police, "police/queue.js");
    }
}
