using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Billing.Api.Infrastructure;

internal static class Swagger
{
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddBillingSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Billing API",
                Version = "v1",
                Description = "Subscriptions through Stripe, kept in step with Keycloak and Lago. " +
                    "Paste a Keycloak access token with Authorize to call the authenticated endpoints.",
                Contact = new OpenApiContact { Name = "The billing service's operators" },
            });
            o.AddServer(new OpenApiServer { Url = "/", Description = "This service, where the document is served." });

            // Each operation is named by its action, which says what it does; a test keeps them unique.
            o.CustomOperationIds(api => api.ActionDescriptor.RouteValues.TryGetValue("action", out var action) && action is { Length: > 0 }
                ? char.ToLowerInvariant(action[0]) + action[1..]
                : null);
            o.AddSecurityDefinition(BearerScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A Keycloak access token of the billing realm (without the 'Bearer ' prefix).",
            });
            // The XML comments first: the contract filter completes what they leave out (a description, say).
            var xml = Path.Combine(AppContext.BaseDirectory, $"{Assembly.GetExecutingAssembly().GetName().Name}.xml");
            if (File.Exists(xml))
            {
                o.IncludeXmlComments(xml);
            }

            o.OperationFilter<AuthorizeOperationFilter>();
            o.OperationFilter<OpenApi.HttpContractOperationFilter>();
            o.DocumentFilter<OpenApi.ProblemDocumentFilter>();
            o.SupportNonNullableReferenceTypes();
            o.NonNullableReferenceTypesAsRequired();
        });
        return services;
    }

    /// <summary>Marks the operations that need a token, and documents their 401/403 answers.</summary>
    private sealed class AuthorizeOperationFilter : IOperationFilter
    {
        public void Apply(OpenApiOperation operation, OperationFilterContext context)
        {
            var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAllowAnonymous>().Any())
            {
                return;
            }

            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token (`unauthorized`)." });
            if (metadata.OfType<AuthorizeAttribute>().Any(a => a.Policy is not null))
            {
                operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token lacks the role this needs (`forbidden`)." });
            }

            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(BearerScheme, context.Document)] = [],
            });
        }
    }
}
