using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Billing.Api.Infrastructure.OpenApi;

/// <summary>
/// Puts the document in the API's own terms once every operation is in: one <c>Problem</c> schema for every error
/// answer (with <c>code</c> from <see cref="ProblemCodes"/> and <c>trace_id</c>, never ASP.NET's types), JSON only,
/// the vocabularies as enums, request fields the validators require marked required and not nullable, and an
/// example on every schema and body.
/// </summary>
internal sealed class ProblemDocumentFilter : IDocumentFilter
{
    public const string ProblemSchema = "Problem";

    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        var schemas = swaggerDoc.Components!.Schemas!;
        schemas[ProblemSchema] = Problem();
        foreach (var unused in new[] { "ProblemDetails", "ValidationProblemDetails", "JsonNode", "JsonNodeOptions" })
        {
            schemas.Remove(unused);
        }

        foreach (var (name, schema) in schemas.Where(s => s.Value is OpenApiSchema).Select(s => (s.Key, (OpenApiSchema)s.Value)).ToList())
        {
            Refine(name, schema);
        }

        foreach (var operation in (swaggerDoc.Paths ?? []).Values.SelectMany(p => p.Operations ?? new Dictionary<HttpMethod, OpenApiOperation>()).Select(o => o.Value))
        {
            Reshape(operation, swaggerDoc);
        }

        foreach (var (name, schema) in schemas.Where(s => s.Value is OpenApiSchema { Examples: null or { Count: 0 } }).Select(s => (s.Key, (OpenApiSchema)s.Value)).ToList())
        {
            var example = BillingExamples.Requests.TryGetValue(name, out var request) ? request.DeepClone() : BillingExamples.For(schema, string.Empty, swaggerDoc, owner: name);
            if (example is not null)
            {
                schema.Examples = [example];
            }
        }

        foreach (var operation in (swaggerDoc.Paths ?? []).Values.SelectMany(p => p.Operations ?? new Dictionary<HttpMethod, OpenApiOperation>()).Select(o => o.Value))
        {
            foreach (var media in (operation.RequestBody?.Content ?? new Dictionary<string, IOpenApiMediaType>()).Values.OfType<OpenApiMediaType>())
            {
                if (media.Schema is not null && media.Example is null)
                {
                    media.Example = BillingExamples.For(media.Schema, string.Empty, swaggerDoc);
                }
            }
        }
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "Every error this API answers (RFC 9457, application/problem+json). `code` says what went wrong in words a program can test; quote `trace_id` when asking for help.",
        Required = new HashSet<string> { "type", "title", "status", "code", "trace_id" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri", Description = $"{ProblemShape.TypeBase} followed by the status." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What kind of problem, in words." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = "What exactly went wrong, for a person." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Description = "What went wrong, for a program. A refused card carries Stripe's card error code.",
                Enum = ProblemCodes.All.Select(c => (JsonNode)JsonValue.Create(c)!).ToList(),
            },
            ["trace_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's trace id (W3C), as in the service's logs." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object | JsonSchemaType.Null,
                Description = "For a 400: the fields that are wrong (snake_case), each with its messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
        AdditionalPropertiesAllowed = false,
        Examples =
        [
            new JsonObject
            {
                ["type"] = $"{ProblemShape.TypeBase}400",
                ["title"] = "The request is not valid.",
                ["status"] = 400,
                ["detail"] = "Unknown tier 'gold': use trial, starter, professional or enterprise.",
                ["code"] = "unknown_tier",
                ["trace_id"] = "4bf92f3577b34da6a3ce929d0e0e4736",
                ["errors"] = new JsonObject { ["tier_id"] = new JsonArray("Unknown tier 'gold': use trial, starter, professional or enterprise.") },
            },
        ],
    };

    private static void Refine(string name, OpenApiSchema schema)
    {
        var required = BillingExamples.RequiredRequestFields.GetValueOrDefault(name, []);
        foreach (var (property, value) in (schema.Properties ?? new Dictionary<string, IOpenApiSchema>()).ToList())
        {
            if (value is not OpenApiSchema inline)
            {
                continue;
            }

            if (property == "properties" && inline.AdditionalProperties is not null)
            {
                // A usage event's free-form properties: JSON values, not .NET's JsonNode type.
                inline.AdditionalProperties = new OpenApiSchema();
            }

            if (property == "features" && inline.AdditionalProperties is not null)
            {
                // A tier's entitlements: a whole number or a switch by key, as the catalog names them.
                inline.Description = "What the tier entitles to, by key: a whole number (a limit) or true/false (a switch).";
                inline.AdditionalProperties = new OpenApiSchema
                {
                    OneOf = [new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64" }, new OpenApiSchema { Type = JsonSchemaType.Boolean }],
                };
            }

            if (required.Contains(property))
            {
                inline.Type &= ~JsonSchemaType.Null;
            }

            // A list takes its set on its items; a value on itself (and null too, where it may be null).
            if (BillingVocabulary.For(name, property) is not { } words)
            {
                continue;
            }

            if (inline.Items is OpenApiSchema items)
            {
                items.Enum = words.Select(w => (JsonNode)JsonValue.Create(w)!).ToList();
            }
            else
            {
                inline.Enum = words.Select(w => (JsonNode)JsonValue.Create(w)!).ToList();
                if ((inline.Type ?? 0).HasFlag(JsonSchemaType.Null))
                {
                    inline.Enum.Add(null!);
                }
            }
        }

        if (required.Length > 0)
        {
            schema.Required = new HashSet<string>(required);
        }
    }

    private static void Reshape(OpenApiOperation operation, OpenApiDocument document)
    {
        if (operation.RequestBody?.Content is { } bodies)
        {
            foreach (var extra in bodies.Keys.Where(k => k != "application/json").ToList())
            {
                bodies.Remove(extra);
            }
        }

        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete || concrete.Content is not { } content)
            {
                if (response is OpenApiResponse bare && int.TryParse(status, out var code) && code >= 400)
                {
                    bare.Content = ProblemContent(document, code);
                }

                continue;
            }

            if (int.TryParse(status, out var numeric) && numeric >= 400)
            {
                concrete.Content = ProblemContent(document, numeric);
            }
            else
            {
                foreach (var extra in content.Keys.Where(k => k != "application/json").ToList())
                {
                    content.Remove(extra);
                }
            }
        }
    }

    /// <summary>The Problem schema, with an example of this status as the service writes it.</summary>
    private static Dictionary<string, IOpenApiMediaType> ProblemContent(OpenApiDocument document, int status) => new()
    {
        ["application/problem+json"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchemaReference(ProblemSchema, document),
            Example = new JsonObject
            {
                ["type"] = $"{ProblemShape.TypeBase}{status}",
                ["title"] = ProblemShape.DefaultTitle(status),
                ["status"] = status,
                ["detail"] = status == 400 ? "Check tier_id." : null,
                ["code"] = ProblemShape.DefaultCode(status),
                ["trace_id"] = "4bf92f3577b34da6a3ce929d0e0e4736",
                ["errors"] = status == 400 ? new JsonObject { ["tier_id"] = new JsonArray("Unknown tier 'gold': use trial, starter, professional or enterprise.") } : null,
            },
        },
    };
}
