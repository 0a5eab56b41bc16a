using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Billing.Application.Common.Ports;
using Billing.Application.Common.Results;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Logging;
using Billing.Infrastructure.Messaging;
using Refit;

namespace Billing.Infrastructure.Keycloak;

/// <summary>
/// Writes the six billing attributes of the seed. Keycloak's PUT replaces the whole attribute map (24.0.4+), so
/// the user is read, only these keys change, and the full representation goes back: every other attribute and
/// field survives.
/// </summary>
internal sealed class KeycloakIdentityDirectory(
    IKeycloakAdminApi admin,
    IKeycloakTokenApi oidc,
    KeycloakOptions options,
    ILogger<KeycloakIdentityDirectory> logger) : IIdentityDirectory
{
    public static readonly IReadOnlyList<string> OwnedAttributes =
    [
        "subscription_tier", "subscription_status", "stripe_customer_id", "stripe_subscription_id", "subscription_start_date", "subscription_end_date",
    ];

    public async Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!options.CanAdminister)
        {
            return new Error(ErrorKind.NotConfigured, "keycloak_not_configured", "Keycloak admin credentials are missing: set KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET (or KEYCLOAK_ADMIN_USERNAME and KEYCLOAK_ADMIN_PASSWORD).");
        }

        try
        {
            var found = await FindUserAsync(state, cancellationToken);
            if (!found.IsSuccess)
            {
                return found.Error!;
            }

            var (id, user) = found.Value;
            var attributes = user["attributes"] as JsonObject ?? [];
            Set(attributes, "subscription_tier", state.Tier);
            Set(attributes, "subscription_status", state.Status);
            Set(attributes, "stripe_customer_id", state.StripeCustomerId);
            Set(attributes, "stripe_subscription_id", state.StripeSubscriptionId);
            Set(attributes, "subscription_start_date", Day(state.CurrentPeriodStart));
            Set(attributes, "subscription_end_date", Day(state.CurrentPeriodEnd));
            user["attributes"] = attributes;

            using var put = await admin.PutUserAsync(options.Realm, id, user, cancellationToken);
            return put.StatusCode switch
            {
                HttpStatusCode.NoContent or HttpStatusCode.OK => $"Keycloak user {id}: {state.Tier} / {state.Status}.",
                _ => Failure(put.StatusCode, "update the user"),
            };
        }
        catch (ApiException e)
        {
            return Failure(e.StatusCode, "request a token");
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Keycloak is unreachable: {ErrorType}", e.GetType().Name);
            return new Error(ErrorKind.UpstreamUnavailable, "keycloak_unreachable", "Keycloak could not be reached.");
        }
    }

    /// <summary>By id (the JWT's sub kept on the account); by exact e-mail only when the id is unknown to Keycloak.</summary>
    private async Task<Result<(string Id, JsonObject User)>> FindUserAsync(AccountState state, CancellationToken cancellationToken)
    {
        using var byId = await admin.GetUserAsync(options.Realm, state.UserId, cancellationToken);
        if (byId.IsSuccessStatusCode && byId.Content is { } user)
        {
            return (state.UserId, user);
        }

        if (byId.StatusCode != HttpStatusCode.NotFound)
        {
            return Failure(byId.StatusCode, "read the user");
        }

        if (!string.IsNullOrWhiteSpace(state.Email))
        {
            using var byEmail = await admin.FindUsersAsync(options.Realm, state.Email, exact: true, cancellationToken);
            if (!byEmail.IsSuccessStatusCode)
            {
                return Failure(byEmail.StatusCode, "search the user");
            }

            if (byEmail.Content is [JsonObject only] && only["id"]?.GetValue<string>() is { } id)
            {
                logger.LogWarning("Keycloak user {UserId} not found by id; found by e-mail as {KeycloakId}", state.UserId, id);
                return (id, only);
            }
        }

        return Error.NotFound("keycloak_user_missing", $"Keycloak has no user {state.UserId} (nor a single user with the account's e-mail).");
    }

    private static void Set(JsonObject attributes, string key, string? value)
    {
        if (value is null)
        {
            attributes.Remove(key);
        }
        else
        {
            attributes[key] = new JsonArray(value);
        }
    }

    private static string? Day(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static Error Failure(HttpStatusCode? status, string action) => status switch
    {
        HttpStatusCode.Unauthorized => new Error(ErrorKind.NotConfigured, "keycloak_credentials_rejected", $"Keycloak refused the service's credentials when asked to {action}."),
        HttpStatusCode.Forbidden => new Error(ErrorKind.NotConfigured, "keycloak_forbidden", $"The service account may not {action}: it needs the manage-users role."),
        HttpStatusCode.NotFound => Error.NotFound("keycloak_user_missing", $"Keycloak answered 404 when asked to {action}."),
        HttpStatusCode.BadRequest => Error.Invalid("user", "keycloak_rejected", $"Keycloak rejected the request to {action}."),
        _ => new Error(ErrorKind.UpstreamUnavailable, "keycloak_unavailable", $"Keycloak answered {(int?)status} when asked to {action}."),
    };

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var discovery = await oidc.DiscoveryAsync(options.Realm, cancellationToken);
            return discovery.IsSuccessStatusCode;
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) || e is ApiException)
        {
            return false;
        }
    }
}
