using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Billing.Infrastructure.Messaging;

/// <summary>The ways a call to Keycloak or Lago fails without an answer, once the resilience handler has given up.</summary>
internal static class TransportFailures
{
    public static bool IsUnreachable(Exception e) =>
        e is HttpRequestException or TimeoutException or BrokenCircuitException or TimeoutRejectedException or TaskCanceledException;
}
