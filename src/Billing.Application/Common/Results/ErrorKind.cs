namespace Billing.Application.Common.Results;

/// <summary>The kinds of expected failure; the API maps each to one HTTP status in one place.</summary>
public enum ErrorKind
{
    Validation,
    NotFound,
    Conflict,
    PaymentDeclined,
    RateLimited,

    /// <summary>The caller used up their own budget of requests; distinct from the provider limiting the service.</summary>
    TooManyRequests,

    /// <summary>The caller is known but may not do this (a team's member without its billing role).</summary>
    Forbidden,
    NotConfigured,
    UpstreamUnavailable,
}
