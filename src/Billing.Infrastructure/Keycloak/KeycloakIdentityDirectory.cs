using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Billing.Application.Ports;
using Billing.Application.Common.Results;
using Billing.Infrastructure.Configuration;
using Microsoft.Extensions.Logging;
using Billing.Infrastructure.Messaging;
using Refit;

namespace Billing.Infrastructure.Keycloak;

/// <summary>
/// Writes the billing attributes (the seed's six, the organization a member's access comes from, and the entitlements of the access tier). Keycloak's PUT replaces the whole attribute map (24.0.4+), so
/// the user is read, only these keys change, and the full representation goes back: every other attribute and
/// field survives.
/// </summary>
internal sealed class KeycloakIdentityDirectory(
    IKeycloakAdminApi admin,
    IKeycloakTokenApi oidc,
    KeycloakOptions options,
    KeycloakProfileCache profileCache,
    KeycloakOrganizationDirectory organizations,
    Microsoft.Extensions.Options.IOptions<Billing.Application.Common.BillingOptions> billing,
    Microsoft.Extensions.Options.IOptions<Billing.Application.Catalog.PlanCatalogOptions> catalog,
    ILogger<KeycloakIdentityDirectory> logger) : IIdentityDirectory
{
    /// <summary>Teams are billed: a user's access may come from one, named by <c>billing_organization_id</c>.</summary>
    private bool Teams => billing.Value.Organizations.Enabled;

    /// <summary>The catalog names entitlements: <c>billing_entitlements</c> carries those of the access tier.</summary>
    private bool Entitlements => catalog.Value.Tiers.Values.Any(t => t.Features.Count > 0);

    private static readonly Error NotConfigured = new(ErrorKind.NotConfigured, "keycloak_not_configured", "Keycloak admin credentials are missing: set KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET (or KEYCLOAK_ADMIN_USERNAME and KEYCLOAK_ADMIN_PASSWORD).");

    public async Task<Result<string>> PublishAsync(AccountState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!options.CanAdminister)
        {
            return NotConfigured;
        }

        // An organization's account is written on the organization, never on a user (not even found by e-mail).
        if (Billing.Domain.Accounts.AccountHolder.OrganizationOf(state.UserId) is { } organization)
        {
            return await organizations.PublishAttributesAsync(organization, BillingAttributes(state, teams: false, Entitlements), cancellationToken);
        }

        try
        {
            // Keycloak would answer 204 and keep none of them: never count such a write as delivered.
            var undeclared = await UndeclaredAttributesAsync(cancellationToken);
            if (!undeclared.IsSuccess)
            {
                return undeclared.Error!;
            }

            if (undeclared.Value.Count > 0)
            {
                return new Error(
                    ErrorKind.NotConfigured,
                    IdentityDeliveryFailures.AttributesUndeclared,
                    $"The realm's user profile does not declare {string.Join(", ", undeclared.Value)}, so Keycloak would drop them: run `keycloak setup` (or declare them in the admin console); parked deliveries go again by themselves once they are declared.");
            }

            var found = await FindUserAsync(state, cancellationToken);
            if (!found.IsSuccess)
            {
                return found.Error!;
            }

            var (id, user) = found.Value;
            var attributes = user["attributes"] as JsonObject ?? [];
            foreach (var (key, value) in BillingAttributes(state, Teams, Entitlements))
            {
                Set(attributes, key, value);
            }

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
            return Unreachable(e);
        }
    }

    public async Task<Result<IReadOnlyList<SyncDrift>>> CompareAsync(AccountState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!options.CanAdminister)
        {
            return NotConfigured;
        }

        if (Billing.Domain.Accounts.AccountHolder.OrganizationOf(state.UserId) is { } organization)
        {
            return await organizations.CompareAttributesAsync(organization, BillingAttributes(state, teams: false, Entitlements), cancellationToken);
        }

        try
        {
            var found = await FindUserAsync(state, cancellationToken);
            if (!found.IsSuccess)
            {
                return found.Error!.Code == SyncDrift.IdentityUserMissing
                    ? Result<IReadOnlyList<SyncDrift>>.Success([new SyncDrift(SyncDrift.IdentityUserMissing, found.Error.Detail)])
                    : found.Error;
            }

            var attributes = found.Value.User["attributes"] as JsonObject;
            var drift = new List<SyncDrift>();
            foreach (var (key, expected) in BillingAttributes(state, Teams, Entitlements))
            {
                var held = (attributes?[key] as JsonArray)?.FirstOrDefault()?.GetValue<string>();
                if (held != expected)
                {
                    drift.Add(new SyncDrift("keycloak_attributes", $"Keycloak has {key} = {held ?? "(none)"}; the account says {expected ?? "(none)"}."));
                }
            }

            return drift;
        }
        catch (ApiException e)
        {
            return Failure(e.StatusCode, "request a token");
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            return Unreachable(e);
        }
    }

    /// <summary>The attributes the service owns, as the account's state sets them (null: the attribute is absent).</summary>
    /// <remarks>The organization a user's access comes from only where teams are billed (an organization's own attributes never carry it).</remarks>
    private static IEnumerable<(string Key, string? Value)> BillingAttributes(AccountState state, bool teams, bool entitlements) =>
    [
        ("subscription_tier", state.Tier),
        ("subscription_status", state.Status),
        ("stripe_customer_id", state.StripeCustomerId),
        ("stripe_subscription_id", state.StripeSubscriptionId),
        ("subscription_start_date", Day(state.CurrentPeriodStart)),
        ("subscription_end_date", Day(state.CurrentPeriodEnd)),
        .. (teams ? [(KeycloakOrganizationDirectory.OrganizationAttribute, state.BillingOrganizationId)] : Array.Empty<(string, string?)>()),
        .. (entitlements ? [(KeycloakUserProfile.EntitlementsAttribute, state.Entitlements)] : Array.Empty<(string, string?)>()),
    ];

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

    internal static void Set(JsonObject attributes, string key, string? value)
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
        null => new Error(ErrorKind.UpstreamUnavailable, "keycloak_unreachable", $"Keycloak could not be reached when asked to {action}."),
        _ => new Error(ErrorKind.UpstreamUnavailable, "keycloak_unavailable", $"Keycloak answered {(int)status} when asked to {action}."),
    };

    public async Task<Result<string?>> FindNameAsync(string userId, CancellationToken cancellationToken)
    {
        if (!options.CanAdminister)
        {
            return NotConfigured;
        }

        try
        {
            using var found = await admin.GetUserAsync(options.Realm, userId, cancellationToken);
            if (found.StatusCode == HttpStatusCode.NotFound)
            {
                return Result<string?>.Success(null);
            }

            if (!found.IsSuccessStatusCode || found.Content is not { } user)
            {
                return Failure(found.StatusCode, "read the user");
            }

            var name = string.Join(' ', new[] { user["firstName"]?.GetValue<string>(), user["lastName"]?.GetValue<string>() }.Where(n => !string.IsNullOrWhiteSpace(n)));
            return Result<string?>.Success(name.Length == 0 ? null : name);
        }
        catch (ApiException e)
        {
            return Failure(e.StatusCode, "request a token");
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            return Unreachable(e);
        }
    }

    public async Task<DirectoryHealth> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var discovery = await oidc.DiscoveryAsync(options.Realm, cancellationToken);
            if (!discovery.IsSuccessStatusCode)
            {
                return new DirectoryHealth(false, []);
            }

            // Without admin credentials nothing is written, so nothing can be dropped either.
            var undeclared = options.CanAdminister ? await UndeclaredAttributesAsync(cancellationToken) : Result<IReadOnlyList<string>>.Success([]);
            return new DirectoryHealth(true, undeclared.IsSuccess ? undeclared.Value : [], KeepsAnyAttribute: profileCache.Declarative == false);
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) || e is ApiException)
        {
            return new DirectoryHealth(false, []);
        }
    }

    public async Task<Result<AttributeDeclaration>> DeclareAttributesAsync(bool dryRun, CancellationToken cancellationToken)
    {
        if (!options.CanAdminister)
        {
            return NotConfigured;
        }

        try
        {
            var profile = await ReadProfileAsync(cancellationToken);
            if (!profile.IsSuccess)
            {
                return profile.Error!;
            }

            if (profile.Value is not { } configuration)
            {
                return new AttributeDeclaration([], RealmKeepsAnyAttribute: true);
            }

            var changed = KeycloakUserProfile.Declare(configuration);
            if (dryRun || changed.Count == 0)
            {
                return new AttributeDeclaration(changed);
            }

            using var written = await admin.PutUserProfileAsync(options.Realm, configuration, cancellationToken);
            if (!written.IsSuccessStatusCode)
            {
                return written.StatusCode == HttpStatusCode.Forbidden
                    ? new Error(ErrorKind.NotConfigured, "keycloak_forbidden", "The credentials may not change the realm's user profile: it needs the manage-realm role of realm-management (once, for this setup).")
                    : Failure(written.StatusCode, "write the realm's user profile");
            }

            profileCache.Forget();
            return new AttributeDeclaration(changed);
        }
        catch (ApiException e)
        {
            return Failure(e.StatusCode, "request a token");
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            return Unreachable(e);
        }
    }

    private async Task<Result<IReadOnlyList<string>>> UndeclaredAttributesAsync(CancellationToken cancellationToken)
    {
        if (profileCache.AllDeclared)
        {
            return Result<IReadOnlyList<string>>.Success([]);
        }

        var profile = await ReadProfileAsync(cancellationToken);
        if (!profile.IsSuccess)
        {
            return profile.Error!;
        }

        // A realm without a declarative user profile keeps any attribute: nothing is undeclared there.
        var undeclared = profile.Value is { } configuration ? KeycloakUserProfile.Undeclared(configuration, Teams, Entitlements) : [];
        if (undeclared.Count == 0)
        {
            profileCache.RememberAllDeclared();
        }

        return Result<IReadOnlyList<string>>.Success(undeclared);
    }

    /// <summary>
    /// The realm's user profile configuration, or null when the realm has none: Keycloak before 24 has no
    /// <c>…/users/profile</c> resource (the path falls to the user by id, 404) and keeps every attribute written.
    /// A 404 saying the realm itself is missing is a misconfiguration, and neither is a missing user.
    /// </summary>
    private async Task<Result<JsonObject?>> ReadProfileAsync(CancellationToken cancellationToken)
    {
        using var read = await admin.GetUserProfileAsync(options.Realm, cancellationToken);
        if (read.IsSuccessStatusCode && read.Content is { } configuration)
        {
            NoteKind(declarative: true);
            return configuration;
        }

        if (read.StatusCode != HttpStatusCode.NotFound)
        {
            return Failure(read.StatusCode, "read the realm's user profile");
        }

        if ((read.Error as ApiException)?.Content?.Contains("Realm not found", StringComparison.OrdinalIgnoreCase) == true)
        {
            return new Error(ErrorKind.NotConfigured, "keycloak_realm_missing", $"Keycloak has no realm {options.Realm}: check KEYCLOAK_REALM.");
        }

        NoteKind(declarative: false);
        return Result<JsonObject?>.Success(null);
    }

    private void NoteKind(bool declarative)
    {
        if (!profileCache.NoteKind(declarative))
        {
            return;
        }

        if (declarative)
        {
            logger.LogInformation("Keycloak realm {Realm} has a declarative user profile (Keycloak 24+): the billing attributes must be declared in it", options.Realm);
        }
        else
        {
            logger.LogWarning("Keycloak realm {Realm} has no declarative user profile (Keycloak before 24): it keeps any attribute written, and there is nothing to declare", options.Realm);
        }
    }

    private Error Unreachable(Exception e)
    {
        logger.LogWarning("Keycloak is unreachable: {ErrorType}", e.GetType().Name);
        return new Error(ErrorKind.UpstreamUnavailable, "keycloak_unreachable", "Keycloak could not be reached.");
    }
}
