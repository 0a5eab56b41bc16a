using System.Net;
using System.Text.Json.Nodes;
using Billing.Application.Common.Results;
using Billing.Application.Ports;
using Billing.Infrastructure.Configuration;
using Billing.Infrastructure.Messaging;
using Refit;

namespace Billing.Infrastructure.Keycloak;

/// <summary>
/// Memberships from Keycloak's Organizations admin API. Keycloak answers 404 for three different things, told apart
/// by its text: the realm has organizations off (a setting to fix), the organization does not exist, and the user is
/// not a member (JAX-RS's own 404, no message).
/// </summary>
internal sealed class KeycloakOrganizationDirectory(IKeycloakOrganizationsApi api, IKeycloakAdminApi users, KeycloakOptions options, OrganizationMembershipCache cache) : IOrganizationDirectory
{
    /// <summary>How many members or users one page asks for.</summary>
    private const int Page = 100;

    private const string OrganizationNotFound = "Organization not found.";
    private const string OrganizationsDisabled = "Organizations not enabled for this realm.";

    public async Task<Result<OrganizationMembership>> FindMembershipAsync(string organizationId, string userId, CancellationToken cancellationToken)
    {
        if (cache.Find(organizationId, userId) is { } known)
        {
            return known;
        }

        var answer = await AskAsync(() => api.GetMemberAsync(options.Realm, organizationId, userId, cancellationToken), "look up a member", cancellationToken);
        if (!answer.IsSuccess)
        {
            return answer.Error!;
        }

        using var response = answer.Value;
        var message = Message(response);
        var membership = (response.StatusCode, message) switch
        {
            (HttpStatusCode.OK, _) => OrganizationMembership.Member,
            (HttpStatusCode.NotFound, OrganizationNotFound) => OrganizationMembership.UnknownOrganization,
            (HttpStatusCode.NotFound, null) => OrganizationMembership.NotMember,
            _ => (OrganizationMembership?)null,
        };
        if (membership is null)
        {
            return Failure(response.StatusCode, message, "look up a member");
        }

        cache.Remember(organizationId, userId, membership.Value);
        return membership.Value;
    }

    public async Task<Result<int>> CountMembersAsync(string organizationId, CancellationToken cancellationToken)
    {
        var answer = await AskAsync(() => api.CountMembersAsync(options.Realm, organizationId, cancellationToken), "count members", cancellationToken);
        if (!answer.IsSuccess)
        {
            return answer.Error!;
        }

        using var response = answer.Value;
        return response.IsSuccessful ? response.Content : Failure(response.StatusCode, Message(response), "count members");
    }

    public async Task<Result<IReadOnlyList<OrganizationSummary>>> OrganizationsOfAsync(string userId, CancellationToken cancellationToken)
    {
        var answer = await AskAsync(() => api.OrganizationsOfAsync(options.Realm, userId, briefRepresentation: true, cancellationToken), "list a user's organizations", cancellationToken);
        if (!answer.IsSuccess)
        {
            return answer.Error!;
        }

        using var response = answer.Value;
        var message = Message(response);
        if (response.StatusCode == HttpStatusCode.NotFound && message is null)
        {
            // JAX-RS's 404: Keycloak has no such user, so they belong to no team.
            return Result<IReadOnlyList<OrganizationSummary>>.Success([]);
        }

        return response.IsSuccessful
            ? Result<IReadOnlyList<OrganizationSummary>>.Success([.. response.Content!.OfType<JsonNode>()
                .Where(o => o["id"] is not null)
                .Select(o => new OrganizationSummary(o["id"]!.GetValue<string>(), o["name"]?.GetValue<string>() ?? o["id"]!.GetValue<string>()))])
            : Failure(response.StatusCode, message, "list a user's organizations");
    }

    public Task<Result<IReadOnlyList<string>>> MemberIdsAsync(string organizationId, CancellationToken cancellationToken) =>
        PagesAsync(first => api.ListMembersAsync(options.Realm, organizationId, first, Page, briefRepresentation: true, cancellationToken), _ => true, "list members", cancellationToken);

    public Task<Result<IReadOnlyList<string>>> UsersWithAccessFromAsync(string organizationId, CancellationToken cancellationToken) =>
        PagesAsync(
            first => users.FindUsersByAttributeAsync(options.Realm, $"{OrganizationAttribute}:{organizationId}", exact: true, first, Page, briefRepresentation: false, cancellationToken),
            user => (user["attributes"]?[OrganizationAttribute] as JsonArray)?.Any(v => v?.GetValue<string>() == organizationId) == true,
            "find the users with access from an organization",
            cancellationToken);

    /// <summary>The user attribute naming the organization a user's access comes from.</summary>
    internal const string OrganizationAttribute = "billing_organization_id";

    /// <summary>Every page of a list until a short one, the ids of the entries <paramref name="keep"/> keeps.</summary>
    private async Task<Result<IReadOnlyList<string>>> PagesAsync(Func<int, Task<IApiResponse<JsonArray>>> page, Func<JsonNode, bool> keep, string action, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        for (var first = 0; ; first += Page)
        {
            var answer = await AskAsync(() => page(first), action, cancellationToken);
            if (!answer.IsSuccess)
            {
                return answer.Error!;
            }

            using var response = answer.Value;
            if (!response.IsSuccessful || response.Content is not { } entries)
            {
                return Failure(response.StatusCode, Message(response), action);
            }

            ids.AddRange(entries.OfType<JsonNode>().Where(keep).Select(e => e["id"]?.GetValue<string>()).OfType<string>());
            if (entries.Count < Page)
            {
                return ids;
            }
        }
    }

    /// <summary>
    /// Writes an organization account's billing attributes on the organization. Keycloak's PUT replaces the attribute
    /// map, so the organization is read and only these keys change (its other attributes and domains survive).
    /// </summary>
    public async Task<Result<string>> PublishAttributesAsync(string organizationId, IEnumerable<(string Key, string? Value)> billing, CancellationToken cancellationToken)
    {
        var found = await AskAsync(() => api.GetOrganizationAsync(options.Realm, organizationId, cancellationToken), "read an organization", cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        using (var read = found.Value)
        {
            if (!read.IsSuccessful || read.Content is not { } organization)
            {
                return Failure(read.StatusCode, Message(read), "read an organization");
            }

            var attributes = organization["attributes"] as JsonObject ?? [];
            foreach (var (key, value) in billing)
            {
                KeycloakIdentityDirectory.Set(attributes, key, value);
            }

            organization["attributes"] = attributes;
            var put = await AskAsync(() => api.UpdateOrganizationAsync(options.Realm, organizationId, organization, cancellationToken), "update an organization", cancellationToken);
            if (!put.IsSuccess)
            {
                return put.Error!;
            }

            using var written = put.Value;
            return written.IsSuccessful ? $"Keycloak organization {organizationId}: billing attributes written." : Failure(written.StatusCode, Message(written), "update an organization");
        }
    }

    /// <summary>Where the organization's billing attributes differ from the account's.</summary>
    public async Task<Result<IReadOnlyList<SyncDrift>>> CompareAttributesAsync(string organizationId, IEnumerable<(string Key, string? Value)> billing, CancellationToken cancellationToken)
    {
        var found = await AskAsync(() => api.GetOrganizationAsync(options.Realm, organizationId, cancellationToken), "read an organization", cancellationToken);
        if (!found.IsSuccess)
        {
            return found.Error!;
        }

        using var read = found.Value;
        if (read.StatusCode == HttpStatusCode.NotFound && Message(read) == OrganizationNotFound)
        {
            return Result<IReadOnlyList<SyncDrift>>.Success([new SyncDrift(SyncDrift.IdentityUserMissing, $"Keycloak has no organization {organizationId}.")]);
        }

        if (!read.IsSuccessful || read.Content is not { } organization)
        {
            return Failure(read.StatusCode, Message(read), "read an organization");
        }

        var attributes = organization["attributes"] as JsonObject;
        return billing
            .Select(a => (a.Key, Expected: a.Value, Held: (attributes?[a.Key] as JsonArray)?.FirstOrDefault()?.GetValue<string>()))
            .Where(a => a.Held != a.Expected)
            .Select(a => new SyncDrift("keycloak_attributes", $"Keycloak's organization has {a.Key} = {a.Held ?? "(none)"}; the account says {a.Expected ?? "(none)"}."))
            .ToList();
    }

    private async Task<Result<T>> AskAsync<T>(Func<Task<T>> call, string action, CancellationToken cancellationToken)
        where T : IApiResponse
    {
        if (!options.CanAdminister)
        {
            return new Error(ErrorKind.NotConfigured, "keycloak_not_configured", "Keycloak admin credentials are missing: set KEYCLOAK_CLIENT_ID and KEYCLOAK_CLIENT_SECRET.");
        }

        T response;
        try
        {
            response = await call();
        }
        catch (ApiException e)
        {
            return TokenRefused(e, action);
        }
        catch (Exception e) when (TransportFailures.IsUnreachable(e) && !cancellationToken.IsCancellationRequested)
        {
            return Unreachable(action);
        }

        // Refit hands what went wrong before Keycloak's answer (the token request, the network) to the response.
        if (response.StatusCode is null && response.Error is { } failed)
        {
            response.Dispose();
            return Cause<ApiException>(failed) is { } token ? TokenRefused(token, action)
                : TransportFailures.IsUnreachable(failed) || Cause<HttpRequestException>(failed) is not null ? Unreachable(action)
                : throw new InvalidOperationException($"Keycloak's answer to {action} failed unexpectedly.", failed);
        }

        return response;
    }

    private static TException? Cause<TException>(Exception e)
        where TException : Exception
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is TException found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The service's token request failed: Keycloak down or restarting (5xx) is an outage a retry fixes; any other answer is a setting to fix.</summary>
    private static Error TokenRefused(ApiException e, string action) => (int)e.StatusCode >= 500
        ? new Error(ErrorKind.UpstreamUnavailable, "keycloak_unavailable", $"Keycloak answered {(int)e.StatusCode} to the service's token request when asked to {action}.")
        : new Error(ErrorKind.NotConfigured, "keycloak_credentials_rejected", $"Keycloak answered {(int)e.StatusCode} to the service's token request when asked to {action}.");

    private static Error Unreachable(string action) =>
        new(ErrorKind.UpstreamUnavailable, "keycloak_unreachable", $"Keycloak could not be reached when asked to {action}.");

    /// <summary>Keycloak's <c>errorMessage</c>, or null for a success or an answer without one (JAX-RS's own errors).</summary>
    private static string? Message(IApiResponse response)
    {
        if (response.IsSuccessful)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse((response.Error as ApiException)?.Content ?? string.Empty)?["errorMessage"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static Error Failure(HttpStatusCode? status, string? message, string action) => (status, message) switch
    {
        (HttpStatusCode.NotFound, OrganizationsDisabled) => new Error(ErrorKind.NotConfigured, "keycloak_organizations_disabled", $"The realm has organizations turned off (asked to {action}): enable them in the realm settings."),
        (HttpStatusCode.NotFound, OrganizationNotFound) => Error.NotFound("organization_not_found", "Keycloak has no such organization."),
        (HttpStatusCode.Unauthorized, _) => new Error(ErrorKind.NotConfigured, "keycloak_credentials_rejected", $"Keycloak refused the service's credentials when asked to {action}."),
        (HttpStatusCode.Forbidden, _) => new Error(ErrorKind.NotConfigured, "keycloak_forbidden", $"The service account may not {action}: Keycloak's Organizations API needs the manage-realm role."),
        _ => new Error(ErrorKind.UpstreamUnavailable, "keycloak_unavailable", $"Keycloak answered {(int?)status} when asked to {action}."),
    };
}
