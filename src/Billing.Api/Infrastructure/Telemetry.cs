using Billing.Application.Common;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Billing.Api.Infrastructure;

/// <summary>
/// What an operator sees from outside: the service's meters (and ASP.NET Core's, HttpClient's, the runtime's) and
/// traces through OpenTelemetry, sent by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, a Prometheus scrape
/// endpoint when <c>Billing:Metrics:Prometheus</c> is on, and JSON logs when <c>BILLING_LOG_FORMAT=json</c>.
/// </summary>
internal static class Telemetry
{
    public const string PrometheusSetting = "Billing:Metrics:Prometheus";

    public static IServiceCollection AddBillingTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var prometheus = configuration.GetValue(PrometheusSetting, false);
        if (string.Equals(configuration["BILLING_LOG_FORMAT"], "json", StringComparison.OrdinalIgnoreCase))
        {
            services.AddLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddJsonConsole(o =>
                {
                    o.IncludeScopes = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                    o.UseUtcTimestamp = true;
                });
            });
        }

        if (!otlp && !prometheus)
        {
            return services;
        }

        var telemetry = services.AddOpenTelemetry().ConfigureResource(r => r.AddService("billing-service"));
        telemetry.WithMetrics(metrics =>
        {
            metrics.AddMeter(BillingMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
            if (prometheus)
            {
                metrics.AddPrometheusExporter();
            }

            if (otlp)
            {
                metrics.AddOtlpExporter();
            }
        });
        if (otlp)
        {
            telemetry.WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddOtlpExporter());
        }

        return services;
    }

    /// <summary>The scrape endpoint, anonymous like the health checks: keep it on an internal port or network.</summary>
    public static WebApplication MapBillingTelemetry(this WebApplication app)
    {
        if (app.Configuration.GetValue(PrometheusSetting, false))
        {
            app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        }

        return app;
    }
}
