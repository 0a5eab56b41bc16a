using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Billing.Sandbox.Keycloak;

/// <summary>
/// Keycloak 26's Organizations admin API, held to Keycloak's own resources (<c>OrganizationsResource</c>,
/// <c>OrganizationResource</c>, <c>OrganizationMemberResource</c>, <c>Organizations.checkEnabled</c>): every path
/// needs manage-realm and answers 404 <c>"Organizations not enabled for this realm."</c> until the realm's
/// <c>organizationsEnabled</c> flag is on; an unknown organization is 404 <c>"Organization not found."</c>; lists
/// default to 10 and to the brief representation, which has no attributes.
/// </summary>
public sealed partial class KeycloakStandIn
{
    private readonly ConcurrentDictionary<string, KeycloakOrganization> _organizations = new(StringComparer.Ordinal);

    /// <summary>The realm's <c>organizationsEnabled</c> flag: off on every new realm.</summary>
    public bool OrganizationsEnabled { get; set; }

    public IReadOnlyCollection<KeycloakOrganization> Organizations => _organizations.Values.ToList();

    public KeycloakOrganization? FindOrganization(string id) => _organizations.GetValueOrDefault(id);

    public KeycloakOrganization AddOrganization(string name, string? id = null, Dictionary<string, List<string>>? attributes = null, params string[] memberIds)
    {
        var organization = new KeycloakOrganization
        {
            Id = id ?? Guid.NewGuid().ToString(),
            Name = name,
            Alias = name,
            Attributes = attributes ?? new Dictionary<string, List<string>>(StringComparer.Ordinal),
        };
        organization.Members.UnionWith(memberIds);
        _organizations[organization.Id] = organization;
        return organization;
    }

    private void MapOrganizations(WebApplication app)
    {
        const string Root = "/admin/realms/{realm}/organizations";
        app.MapGet(Root, ListOrganizations);
        app.MapPost(Root, CreateOrganizationAsync);
        app.MapGet($"{Root}/count", (HttpRequest r, string realm) => OrganizationsGate(r, realm) ?? Results.Json(_organizations.Count));
        app.MapGet($"{Root}/members/{{memberId}}/organizations", OrganizationsOfMember);
        app.MapGet($"{Root}/{{orgId}}", (HttpRequest r, string realm, string orgId) =>
            OrganizationGate(r, realm, orgId, out var org) ?? Results.Json(OrganizationRepresentation(org!, brief: false)));
        app.MapPut($"{Root}/{{orgId}}", UpdateOrganizationAsync);
        app.MapDelete($"{Root}/{{orgId}}", (HttpRequest r, string realm, string orgId) =>
            OrganizationGate(r, realm, orgId, out _) ?? (_organizations.TryRemove(orgId, out _) ? Results.NoContent() : OrganizationNotFound()));
        app.MapGet($"{Root}/{{orgId}}/members", ListMembers);
        app.MapPost($"{Root}/{{orgId}}/members", AddMemberAsync);
        app.MapGet($"{Root}/{{orgId}}/members/count", (HttpRequest r, string realm, string orgId) =>
            OrganizationGate(r, realm, orgId, out var org) ?? Results.Json(org!.Members.Count));
        app.MapGet($"{Root}/{{orgId}}/members/{{memberId}}", GetMember);
        app.MapDelete($"{Root}/{{orgId}}/members/{{memberId}}", RemoveMember);
        app.MapGet($"{Root}/{{orgId}}/members/{{memberId}}/organizations", (HttpRequest r, string realm, string orgId, string memberId, bool? briefRepresentation) =>
            OrganizationGate(r, realm, orgId, out _) ?? OrganizationsOf(memberId, briefRepresentation ?? true));
    }

    /// <summary>The order of Keycloak's checks: the caller's permission, then the realm's flag.</summary>
    private IResult? OrganizationsGate(HttpRequest request, string realm) =>
        Authorize(request, realm, ManageRealmRole)
        ?? (OrganizationsEnabled ? null : Results.Json(new { errorMessage = "Organizations not enabled for this realm." }, statusCode: 404));

    private IResult? OrganizationGate(HttpRequest request, string realm, string orgId, out KeycloakOrganization? organization)
    {
        organization = null;
        if (OrganizationsGate(request, realm) is { } denied)
        {
            return denied;
        }

        return _organizations.TryGetValue(orgId, out organization) ? null : OrganizationNotFound();
    }

    private static IResult OrganizationNotFound() => Results.Json(new { errorMessage = "Organization not found." }, statusCode: 404);

    /// <summary>JAX-RS's own NotFoundException, as a member lookup throws it.</summary>
    private static IResult JaxRsNotFound() => Results.Json(new { error = "HTTP 404 Not Found" }, statusCode: 404);

    private IResult ListOrganizations(HttpRequest request, string realm, string? search, string? q, bool? exact, int? first, int? max, bool? briefRepresentation)
    {
        if (OrganizationsGate(request, realm) is { } denied)
        {
            return denied;
        }

        IEnumerable<KeycloakOrganization> found = _organizations.Values.OrderBy(o => o.Name, StringComparer.Ordinal);
        if (!string.IsNullOrWhiteSpace(q))
        {
            // "key1:value1 key2:value2": every pair must be an attribute value, exactly.
            foreach (var pair in q.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(':', 2)).Where(p => p.Length == 2))
            {
                found = found.Where(o => o.Attributes.TryGetValue(pair[0], out var values) && values.Contains(pair[1]));
            }
        }
        else if (search is not null)
        {
            found = exact == true
                ? found.Where(o => string.Equals(o.Name, search, StringComparison.Ordinal))
                : found.Where(o => o.Name.Contains(search, StringComparison.OrdinalIgnoreCase));
        }

        return Results.Json(found.Skip(Math.Max(first ?? 0, 0)).Take(max is >= 0 ? max.Value : 10).Select(o => OrganizationRepresentation(o, briefRepresentation ?? true)).ToList());
    }

    private async Task<IResult> CreateOrganizationAsync(HttpRequest request, string realm)
    {
        if (OrganizationsGate(request, realm) is { } denied)
        {
            return denied;
        }

        var body = await ReadObjectAsync(request);
        var name = body?["name"]?.GetValue<string>();
        if (body is null)
        {
            return Results.Json(new { errorMessage = "Organization cannot be null." }, statusCode: 400);
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return Results.Json(new { errorMessage = "Name can not be null" }, statusCode: 400);
        }

        var alias = body["alias"]?.GetValue<string>() ?? name;
        if (_organizations.Values.Any(o => o.Name == name || o.Alias == alias))
        {
            return Results.Json(new { errorMessage = "A organization with the same name already exists." }, statusCode: 409);
        }

        var organization = new KeycloakOrganization { Id = Guid.NewGuid().ToString(), Name = name, Alias = alias };
        Apply(organization, body);
        _organizations[organization.Id] = organization;
        return Results.Created($"{request.Scheme}://{request.Host}{request.Path}/{organization.Id}", null);
    }

    /// <summary>PUT replaces what it carries; the alias cannot change once set.</summary>
    private async Task<IResult> UpdateOrganizationAsync(HttpRequest request, string realm, string orgId)
    {
        if (OrganizationGate(request, realm, orgId, out var organization) is { } denied)
        {
            return denied;
        }

        var body = await ReadObjectAsync(request);
        if (body is null)
        {
            return Results.Json(new { errorMessage = "Organization cannot be null." }, statusCode: 400);
        }

        if (body["alias"]?.GetValue<string>() is { } alias && alias != organization!.Alias)
        {
            return Results.Json(new { errorMessage = "Cannot change the alias" }, statusCode: 400);
        }

        lock (organization!)
        {
            organization.Name = body["name"]?.GetValue<string>() ?? organization.Name;
            Apply(organization, body);
        }

        return Results.NoContent();
    }

    private static void Apply(KeycloakOrganization organization, JsonObject body)
    {
        organization.Enabled = body["enabled"]?.GetValue<bool>() ?? organization.Enabled;
        organization.Description = body["description"]?.GetValue<string>() ?? organization.Description;
        if (body["attributes"] is JsonObject attributes)
        {
            organization.Attributes = attributes.ToDictionary(a => a.Key, a => (a.Value as JsonArray ?? []).Select(v => v!.GetValue<string>()).ToList(), StringComparer.Ordinal);
        }
    }

    private IResult ListMembers(HttpRequest request, string realm, string orgId, string? search, bool? exact, int? first, int? max)
    {
        if (OrganizationGate(request, realm, orgId, out var organization) is { } denied)
        {
            return denied;
        }

        IEnumerable<KeycloakUser> members = organization!.Members.Select(FindUser).OfType<KeycloakUser>().OrderBy(u => u.Username, StringComparer.Ordinal);
        if (search is not null)
        {
            members = members.Where(u => new[] { u.Username, u.Email, u.FirstName, u.LastName }.Any(field => field is not null &&
                (exact == true ? string.Equals(field, search, StringComparison.OrdinalIgnoreCase) : field.Contains(search, StringComparison.OrdinalIgnoreCase))));
        }

        return Results.Json(members.Skip(Math.Max(first ?? 0, 0)).Take(max is >= 0 ? max.Value : 10).Select(MemberRepresentation).ToList());
    }

    /// <summary>The body is the user's id, with or without quotes (Keycloak trims both since 26.0.6).</summary>
    private async Task<IResult> AddMemberAsync(HttpRequest request, string realm, string orgId)
    {
        if (OrganizationGate(request, realm, orgId, out var organization) is { } denied)
        {
            return denied;
        }

        using var reader = new StreamReader(request.Body);
        var id = (await reader.ReadToEndAsync()).Trim().Trim('"');
        if (FindUser(id) is null)
        {
            return Results.Json(new { errorMessage = "User does not exist" }, statusCode: 400);
        }

        lock (organization!)
        {
            if (!organization.Members.Add(id))
            {
                return Results.Json(new { errorMessage = "User is already a member of the organization." }, statusCode: 409);
            }
        }

        return Results.Created($"{request.Scheme}://{request.Host}{request.Path}/{id}", null);
    }

    private IResult GetMember(HttpRequest request, string realm, string orgId, string memberId)
    {
        if (OrganizationGate(request, realm, orgId, out var organization) is { } denied)
        {
            return denied;
        }

        return organization!.Members.Contains(memberId) && FindUser(memberId) is { } member ? Results.Json(MemberRepresentation(member)) : JaxRsNotFound();
    }

    private IResult RemoveMember(HttpRequest request, string realm, string orgId, string memberId)
    {
        if (OrganizationGate(request, realm, orgId, out var organization) is { } denied)
        {
            return denied;
        }

        lock (organization!)
        {
            return organization.Members.Remove(memberId) ? Results.NoContent() : JaxRsNotFound();
        }
    }

    private IResult OrganizationsOfMember(HttpRequest request, string realm, string memberId, bool? briefRepresentation) =>
        OrganizationsGate(request, realm) ?? OrganizationsOf(memberId, briefRepresentation ?? true);

    /// <summary>An unknown user is JAX-RS's 404; a user in no organization gets an empty list.</summary>
    private IResult OrganizationsOf(string memberId, bool brief) =>
        FindUser(memberId) is null
            ? JaxRsNotFound()
            : Results.Json(_organizations.Values.Where(o => o.Members.Contains(memberId)).OrderBy(o => o.Name, StringComparer.Ordinal).Select(o => OrganizationRepresentation(o, brief)).ToList());

    private static Dictionary<string, object?> OrganizationRepresentation(KeycloakOrganization organization, bool brief)
    {
        var representation = new Dictionary<string, object?>
        {
            ["id"] = organization.Id,
            ["name"] = organization.Name,
            ["alias"] = organization.Alias,
            ["enabled"] = organization.Enabled,
            ["description"] = organization.Description,
            ["domains"] = Array.Empty<object>(),
        };
        if (!brief)
        {
            representation["attributes"] = organization.Attributes;
        }

        return representation;
    }

    private Dictionary<string, object?> MemberRepresentation(KeycloakUser user)
    {
        var representation = Representation(user, brief: false);
        representation["membershipType"] = "UNMANAGED";
        return representation;
    }

    private static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        try
        {
            return (await JsonNode.ParseAsync(request.Body)) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
