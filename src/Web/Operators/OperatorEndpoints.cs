using CrosswalkWatch.Web.Accounts;
using CrosswalkWatch.Web.Pages;
using Microsoft.AspNetCore.Routing;

namespace CrosswalkWatch.Web.Operators;

/// <summary>The operator role's pages and API.</summary>
public static class OperatorEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPage("/operator", "operator/cameras.html", "Cameras", Roles.Operator, "operator/cameras.js");
    }
}
