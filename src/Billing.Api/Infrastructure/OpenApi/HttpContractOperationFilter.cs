using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Billing.Api.Infrastructure.OpenApi;

/// <summary>
/// What an operation's signature does not tell Swashbuckle: the headers (<c>Idempotency-Key</c>,
/// <c>Idempotent-Replayed</c>, <c>Retry-After</c>, <c>Stripe-Signature</c>), the webhook's body, the answers every
/// JSON body can get (413, 415) and those of an idempotent POST (a key in use, a key reused), and examples for
/// every parameter.
/// </summary>
internal sealed class HttpContractOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= [];
        var isWebhook = context.ApiDescription.RelativePath?.EndsWith("webhooks/stripe", StringComparison.Ordinal) == true;
        var hasBody = isWebhook || context.ApiDescription.ParameterDescriptions.Any(p => p.Source == BindingSource.Body);
        if (hasBody)
        {
            Add(operation, "413", "The body is larger than the API accepts.");
            Add(operation, "415", "The body is not application/json.");
        }

        if (metadata.OfType<IdempotentAttribute>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotentAttribute.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes a retry safe: a retry with the same key answers the first answer (with `Idempotent-Replayed: true`) and runs nothing twice. At most 255 printable ASCII characters, a UUID for example.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = IdempotentAttribute.MaxKeyLength },
                Example = "0b7c4a52-2f1e-4d3a-9c8b-6e5f4a3b2c1d",
            });
            Add(operation, "400", "The Idempotency-Key header is not valid (`idempotency_key_invalid`), or the body is not.");
            Add(operation, "409", "A request with the same Idempotency-Key is still running (`idempotency_key_in_use`).");
            Add(operation, "422", "The Idempotency-Key was used for another request (`idempotency_key_reused`).");
            if (operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse okResponse)
            {
                okResponse.Headers ??= new Dictionary<string, IOpenApiHeader>();
                okResponse.Headers["Idempotent-Replayed"] = new OpenApiHeader
                {
                    Description = "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")!] },
                };
            }
        }

        foreach (var status in new[] { "429", "503" })
        {
            if (operation.Responses.TryGetValue(status, out var limited) && limited is OpenApiResponse limitedResponse)
            {
                limitedResponse.Headers ??= new Dictionary<string, IOpenApiHeader>();
                limitedResponse.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before trying again (when the wait is known).",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
                };
            }
        }

        if (isWebhook)
        {
            DescribeWebhook(operation);
        }

        // An operation documented by its summary alone says it in the description too (clients show either).
        if (string.IsNullOrWhiteSpace(operation.Description))
        {
            operation.Description = operation.Summary;
        }

        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.Example is null))
        {
            parameter.Example = parameter.Schema?.Format == "uuid" ? AUuid : ParameterExample(parameter.Name ?? string.Empty);
        }
    }

    private static void Add(OpenApiOperation operation, string status, string description) =>
        operation.Responses!.TryAdd(status, new OpenApiResponse { Description = description });

    private const string AUuid = "5a3e9b12-7c4d-4f2a-8e6b-1d9c0f3a2b7e";

    private static JsonNode ParameterExample(string name) => name switch
    {
        "userId" or "user_id" => "8d5c0b5e-4f7a-4b8e-9a51-2f1c3d7e6a90",
        "organization_id" => "3f2b8c1a-6d4e-4a7b-9c2d-1e5f7a9b3c4d",
        "id" => "evt_1QaBcDeFgHiJkLmN",
        "status" => "open",
        "limit" => 50,
        "months" => 12,
        "currency" => "usd",
        "admin_id" => "8d5c0b5e-4f7a-4b8e-9a51-2f1c3d7e6a90",
        "target" => "in_1QaBcDeFgHiJkLmN",
        "starting_after" => "in_1QaBcDeFgHiJkLmN",
        _ => name,
    };

    private static void DescribeWebhook(OpenApiOperation operation)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Stripe-Signature",
            In = ParameterLocation.Header,
            Required = true,
            Description = "Stripe's signature over the raw body: `t=<unix time>,v1=<HMAC-SHA256 of \"t.body\" with the endpoint's secret>`. Checked against STRIPE_WEBHOOK_SECRET with 300 s of tolerance.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "t=\\d+,v1=[0-9a-f]+" },
            Example = "t=1795776000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd",
        });
        var example = new JsonObject
        {
            ["id"] = "evt_1QaBcDeFgHiJkLmN",
            ["object"] = "event",
            ["api_version"] = "2026-10-28.endive",
            ["created"] = 1795776000,
            ["type"] = "customer.subscription.updated",
            ["livemode"] = false,
            ["data"] = new JsonObject { ["object"] = new JsonObject { ["id"] = "sub_1QaBcDeFgHiJkLmN", ["object"] = "subscription", ["customer"] = "cus_QaBcDeFgHiJkLm", ["status"] = "active" } },
        };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "A Stripe event, exactly as Stripe sends it (the signature is over these bytes). Types the service does not act on are stored as ignored.",
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "id", "object", "type", "created", "data" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["id"] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^evt_" },
                            ["object"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("event")!] },
                            ["api_version"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
                            ["created"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int64", Description = "Unix time." },
                            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "customer.subscription.updated, invoice.paid, …" },
                            ["livemode"] = new OpenApiSchema { Type = JsonSchemaType.Boolean },
                            ["data"] = new OpenApiSchema
                            {
                                Type = JsonSchemaType.Object,
                                Required = new HashSet<string> { "object" },
                                Properties = new Dictionary<string, IOpenApiSchema> { ["object"] = new OpenApiSchema { Type = JsonSchemaType.Object, Description = "The Stripe object the event is about." } },
                            },
                        },
                        Examples = [example],
                    },
                    Example = example.DeepClone(),
                },
            },
        };
    }
}
