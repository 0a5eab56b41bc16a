using System.Globalization;
using System.Threading.RateLimiting;
using Billing.Api.Auth;
using Microsoft.AspNetCore.Mvc;

namespace Billing.Api.Infrastructure;

/// <summary>Per-user limits on the endpoints that change a subscription or call Stripe to create sessions.</summary>
internal static class RateLimiting
{
    public const string SubscriptionChanges = "subscription-changes";

    public static IServiceCollection AddBillingRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SubscriptionChanges, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IConfiguration>().GetSection("Billing:RateLimit");
                return RateLimitPartition.GetFixedWindowLimiter(
                    http.User.OptionalUserId() ?? http.Connection.RemoteIpAddress?.ToString() ?? "anonymous",
                    _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.GetValue("PermitLimit", 10),
                        Window = settings.GetValue("Window", TimeSpan.FromMinutes(1)),
                        QueueLimit = 0,
                    });
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = "You are changing your subscription too often; retry after the time in Retry-After.",
                    },
                });
            };
        });
        return services;
    }
}
