using System.Text.Json;
using Billing.Sandbox.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.BillingPage;

/// <summary>
/// Serves the sample billing page (<c>samples/billing-spa/dist</c>) as a SPA's own host would: its files, and a
/// <c>config.json</c> telling it where the API and Keycloak are. It is an origin of its own, so the browser calls the
/// API across origins, through CORS, as it would in production.
/// </summary>
public sealed class BillingPageHost(string distFolder) : StandInHost
{
    public const string ClientId = "billing-spa";

    /// <summary>Where the page calls the API; set once the API listens.</summary>
    public Uri ApiBase { get; set; } = new("http://127.0.0.1/");

    public Uri KeycloakUrl { get; set; } = new("http://127.0.0.1/");

    public string Realm { get; set; } = "billing";

    /// <summary>The page's origin, as Keycloak's redirect URIs and the API's CORS settings name it.</summary>
    public string Origin => BaseUrl.GetLeftPart(UriPartial.Authority);

    /// <summary>The built page, found from the repository root; null until <c>npm run build</c> has made it.</summary>
    public static string? BuiltPage(string repositoryRoot)
    {
        var dist = Path.Combine(repositoryRoot, "samples", "billing-spa", "dist");
        return File.Exists(Path.Combine(dist, "app.js")) ? dist : null;
    }

    protected override void Map(WebApplication app)
    {
        app.MapGet("/config.json", () => Results.Content(
            JsonSerializer.Serialize(new { apiBase = ApiBase.AbsoluteUri.TrimEnd('/'), keycloakUrl = KeycloakUrl.AbsoluteUri.TrimEnd('/'), realm = Realm, clientId = ClientId }),
            "application/json"));
        app.MapGet("/{file}", (string file) => Serve(file));
        app.MapGet("/", () => Serve("index.html"));
    }

    private IResult Serve(string file)
    {
        var path = Path.GetFullPath(Path.Combine(distFolder, file));
        if (!path.StartsWith(Path.GetFullPath(distFolder), StringComparison.Ordinal) || !File.Exists(path))
        {
            // A client-side route (or Keycloak's return with ?code=…) is the page itself.
            path = Path.Combine(distFolder, "index.html");
        }

        var type = Path.GetExtension(path) switch
        {
            ".js" => "text/javascript",
            ".css" => "text/css",
            _ => "text/html",
        };
        return Results.File(path, type);
    }
}
