using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Api.Tests.Support;

namespace Billing.Api.Tests;

/// <summary>
/// The SPA's typed client is generated, never written by hand: <c>docs/openapi.json</c> is the document the service
/// serves, and <c>samples/billing-spa/src/api.d.ts</c> is what <c>openapi-typescript</c> makes of it. When the API
/// changes, run the tests with <c>BILLING_UPDATE_OPENAPI=1</c> (rewrites the document), then <c>npm run generate</c>
/// in samples/billing-spa, and commit both.
/// </summary>
public sealed class TypedClientTests : AppFixture
{
    [Test]
    public async Task The_committed_openapi_document_is_the_one_the_service_serves()
    {
        using var client = App.Anonymous();
        var served = (await client.GetFromJsonAsync<JsonObject>("/swagger/v1/swagger.json"))!;
        var path = Repository.PathOf("docs", "openapi.json");
        if (Environment.GetEnvironmentVariable("BILLING_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }

        var committed = JsonNode.Parse(await File.ReadAllTextAsync(path));

        Assert.That(JsonNode.DeepEquals(served, committed), Is.True, "docs/openapi.json is stale: run the tests with BILLING_UPDATE_OPENAPI=1, then `npm run generate` in samples/billing-spa");
    }

    [Test]
    public async Task The_typed_client_is_what_openapi_typescript_makes_of_the_committed_document()
    {
        var folder = Repository.PathOf("samples", "billing-spa");
        if (!Directory.Exists(Path.Combine(folder, "node_modules")))
        {
            await Repository.NpmAsync(folder, "ci --no-audit --no-fund");
        }

        var generated = Path.Combine(Path.GetTempPath(), $"api-{Guid.NewGuid():N}.d.ts");
        await Repository.NpmAsync(folder, $"exec -- openapi-typescript ../../docs/openapi.json -o {generated}");

        Assert.That(await File.ReadAllTextAsync(generated), Is.EqualTo(await File.ReadAllTextAsync(Path.Combine(folder, "src", "api.d.ts"))), "src/api.d.ts is stale: run `npm run generate` in samples/billing-spa");
        File.Delete(generated);
    }

    [Test]
    public async Task Spectrals_openapi_ruleset_finds_nothing_in_the_committed_document_not_even_a_warning()
    {
        var folder = Repository.PathOf("samples", "billing-spa");
        if (!File.Exists(Path.Combine(folder, "node_modules", ".bin", "spectral")))
        {
            await Repository.NpmAsync(folder, "ci --no-audit --no-fund");
        }

        // Fails on any finding, hints included; the ruleset is the repository's .spectral.yaml (spectral:oas).
        await Repository.NpmAsync(folder, "exec -- spectral lint ../../docs/openapi.json --ruleset ../../.spectral.yaml --fail-severity=hint");
    }
}
