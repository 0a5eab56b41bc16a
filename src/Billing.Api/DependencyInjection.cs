using System.Text.Json;
using System.Text.Json.Serialization;
using Billing.Api.Auth;
using Billing.Api.Infrastructure;
using Billing.Infrastructure;
using Billing.Infrastructure.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Billing.Api;

public static class DependencyInjection
{
    public const int MaxRequestBodyBytes = 64 * 1024;

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBillingTelemetry(configuration);
        services.AddControllers(options => options.Filters.Add(new ConsumesAttribute("application/json")))
            .AddJsonOptions(o => ConfigureJson(o.JsonSerializerOptions))
            .ConfigureApiBehaviorOptions(o => o.InvalidModelStateResponseFactory = InvalidModelState.Respond);
        services.ConfigureHttpJsonOptions(o => ConfigureJson(o.SerializerOptions));

        services.AddProblemDetails(o => o.CustomizeProblemDetails = c => ProblemShape.Apply(c.ProblemDetails, c.HttpContext));
        services.AddExceptionHandler<UnhandledExceptionHandler>();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureKeycloakJwtBearer>();
        services.AddSingleton<IConfigureOptions<AuthorizationOptions>>(sp =>
            new ConfigureOptions<AuthorizationOptions>(o => AuthorizationSetup.AddBillingPolicies(o, sp.GetRequiredService<KeycloakOptions>())));
        services.AddAuthorization();

        services.AddBillingSwagger();
        services.AddBrowserAccess(configuration);

        // Kestrel names itself in every answer otherwise; nothing about the server is anyone's business.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        return services;
    }

    /// <summary>Every setting of the service, the API's own included; the first bad one throws, naming it.</summary>
    public static void CheckAllSettings(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.CheckSettings();
        BrowserAccess.CheckSettings(app.Services);
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseForwardedClient();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // The API's map is for developers: served by default in Development only (Billing:Swagger:Enabled).
        if (app.Configuration.GetValue("Billing:Swagger:Enabled", app.Environment.IsDevelopment()))
        {
            app.UseSwagger();
            app.UseSwaggerUI(o =>
            {
                o.SwaggerEndpoint("/swagger/v1/swagger.json", "Billing API v1");
                o.RoutePrefix = "swagger";
                o.EnablePersistAuthorization();
            });
        }
        app.Use((context, next) =>
        {
            // JSON bodies of this API are small; the webhook endpoint raises its own limit.
            var limit = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
            if (limit is { IsReadOnly: false })
            {
                limit.MaxRequestBodySize = MaxRequestBodyBytes;
            }

            return next(context);
        });
        app.UseRouting();

        // A preflight carries no token: answered here, before authentication could refuse it.
        app.UseCors(BrowserAccess.SpaPolicy);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapControllers();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.Write }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.Write }).AllowAnonymous();
        app.MapBillingTelemetry();
        return app;
    }

    private static void ConfigureJson(JsonSerializerOptions json)
    {
        json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        json.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        json.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    }
}
