using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Billing.Sandbox.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Billing.Sandbox.Keycloak;

/// <summary>
/// Keycloak's OIDC endpoints (discovery, JWKS, token) and the admin users API, for one realm. Tokens are RS256,
/// signed with a key made at start; admin calls need a token whose roles include manage-users.
/// </summary>
public sealed partial class KeycloakStandIn : StandInHost
{
    public const string ManageUsersRole = "manage-users";
    public const string ManageRealmRole = "manage-realm";

    /// <summary>Any of these realm-management roles may read the user profile configuration.</summary>
    private static readonly string[] RealmManagementRoles = [ManageUsersRole, "view-users", "query-users", ManageRealmRole, "view-realm"];

    private readonly RsaSecurityKey _signingKey;
    private readonly ConcurrentDictionary<string, KeycloakUser> _users = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeycloakClient> _clients = new(StringComparer.Ordinal);
    private int _tokensIssued;

    public KeycloakStandIn(string realm = "billing", string audience = "billing-api")
    {
        Realm = realm;
        Audience = audience;
        _signingKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N") };
    }

    public string Realm { get; }

    /// <summary>The realm's declarative user profile (always on since Keycloak 24).</summary>
    public KeycloakUserProfile Profile { get; } = new();

    /// <summary>
    /// False plays a realm of Keycloak 22 or 23 without the declarative user profile: <c>…/users/profile</c> is no
    /// resource there (the path falls to <c>…/users/{id}</c>, which answers 404 for a user named "profile"), a user's
    /// <c>PUT</c> replaces its attribute map with whatever it carries, and every attribute is returned.
    /// </summary>
    public bool DeclarativeUserProfile { get; set; } = true;

    public string Audience { get; }

    public string Issuer => $"{BaseUrl.AbsoluteUri.TrimEnd('/')}/realms/{Realm}";

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many tokens the token endpoint issued (grants only, not <see cref="IssueToken"/>).</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    public IReadOnlyCollection<KeycloakUser> Users => _users.Values.ToList();

    public KeycloakUser? FindUser(string id) => _users.GetValueOrDefault(id);

    public KeycloakUser AddUser(string username, string? email = null, string? password = null, IEnumerable<string>? roles = null, string? id = null, Dictionary<string, List<string>>? attributes = null)
    {
        var user = new KeycloakUser
        {
            Id = id ?? Guid.NewGuid().ToString(),
            Username = username,
            Email = email,
            Password = password,
            RealmRoles = roles?.ToList() ?? [],
            Attributes = attributes ?? new Dictionary<string, List<string>>(StringComparer.Ordinal),
        };
        _users[user.Id] = user;
        return user;
    }

    public void AddClient(string clientId, string secret, params string[] serviceAccountRoles) =>
        _clients[clientId] = new KeycloakClient(clientId, secret, serviceAccountRoles);

    /// <summary>An access token as the realm would issue it to this user, for tests and the try-it command.</summary>
    /// <param name="claims">Claims to set or replace, for tests of what a validly signed but odd token may carry.</param>
    public string IssueToken(string? subject, string? email, IEnumerable<string>? roles = null, TimeSpan? lifetime = null, string? audience = null, string? issuer = null, DateTimeOffset? now = null, IReadOnlyDictionary<string, object?>? claims = null)
    {
        var issuedAt = now ?? DateTimeOffset.UtcNow;
        var tokenClaims = new Dictionary<string, object>
        {
            ["typ"] = "Bearer",
            ["azp"] = "billing-spa",
            ["realm_access"] = new Dictionary<string, object> { ["roles"] = (roles ?? []).ToArray() },
            ["scope"] = "openid email profile",
        };
        if (subject is not null)
        {
            tokenClaims["sub"] = subject;
        }

        foreach (var (name, value) in claims ?? new Dictionary<string, object?>())
        {
            if (value is null)
            {
                tokenClaims.Remove(name);
            }
            else
            {
                tokenClaims[name] = value;
            }
        }

        if (email is not null)
        {
            tokenClaims["email"] = email;
            tokenClaims["email_verified"] = true;
            tokenClaims["preferred_username"] = email;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = audience ?? Audience,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = issuedAt.Add(lifetime ?? AccessTokenLifetime).UtcDateTime,
            Claims = tokenClaims,
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    protected override string ProtocolPathPrefix => "/";

    protected override void Map(WebApplication app)
    {
        var realmPath = $"/realms/{Realm}";
        app.MapGet($"{realmPath}/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = $"{Issuer}/protocol/openid-connect/auth",
            ["token_endpoint"] = $"{Issuer}/protocol/openid-connect/token",
            ["jwks_uri"] = $"{Issuer}/protocol/openid-connect/certs",
            ["userinfo_endpoint"] = $"{Issuer}/protocol/openid-connect/userinfo",
            ["grant_types_supported"] = new[] { "authorization_code", "password", "client_credentials", "refresh_token" },
            ["code_challenge_methods_supported"] = new[] { "plain", "S256" },
            ["response_types_supported"] = new[] { "code", "token", "id_token" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
        }));
        app.MapGet($"{realmPath}/protocol/openid-connect/certs", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_signingKey.Rsa.ExportParameters(false)) { KeyId = _signingKey.KeyId });
            return Results.Json(new { keys = new[] { new { kid = jwk.Kid, kty = "RSA", alg = "RS256", use = "sig", n = jwk.N, e = jwk.E } } });
        });
        app.MapPost($"{realmPath}/protocol/openid-connect/token", (Delegate)TokenAsync);
        MapLogin(app, realmPath);
        app.MapGet("/_sandbox/users/{id}", (string id) => _users.TryGetValue(id, out var user) ? Results.Json(Representation(user, brief: false, everyAttribute: true)) : Results.NotFound());
        app.MapGet("/admin/realms/{realm}/users", ListUsers);
        app.MapGet("/admin/realms/{realm}/users/profile", (HttpRequest r, string realm) =>
            Authorize(r, realm, DeclarativeUserProfile ? RealmManagementRoles : []) ?? (DeclarativeUserProfile ? Results.Json(Profile.Configuration) : UserNotFound()));
        app.MapPut("/admin/realms/{realm}/users/profile", PutProfileAsync);
        app.MapGet("/admin/realms/{realm}/users/{id}", GetUser);
        app.MapPut("/admin/realms/{realm}/users/{id}", PutUserAsync);
        MapOrganizations(app);
    }

    /// <summary>
    /// Admin calls need a valid token of this realm holding one of <paramref name="allowed"/> (realm-management
    /// client roles), as Keycloak's permission check would; 403 otherwise.
    /// </summary>
    private IResult? Authorize(HttpRequest request, string realm, params string[] allowed)
    {
        if (realm != Realm)
        {
            return Results.Json(new { error = "Realm not found." }, statusCode: 404);
        }

        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Json(new { error = "HTTP 401 Unauthorized" }, statusCode: 401);
        }

        var result = new JsonWebTokenHandler().ValidateTokenAsync(header[7..].Trim(), new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidateAudience = false,
            IssuerSigningKey = _signingKey,
            ClockSkew = TimeSpan.Zero,
        }).GetAwaiter().GetResult();
        if (!result.IsValid)
        {
            return Results.Json(new { error = "HTTP 401 Unauthorized" }, statusCode: 401);
        }

        var roles = result.Claims.TryGetValue("realm_access", out var access) ? access.ToString() ?? string.Empty : string.Empty;
        var required = allowed.Length == 0 ? [ManageUsersRole] : allowed;
        return required.Any(r => roles.Contains($"\"{r}\"", StringComparison.Ordinal)) || roles.Contains("\"realm-admin\"", StringComparison.Ordinal)
            ? null
            : Results.Json(new { error = "HTTP 403 Forbidden" }, statusCode: 403);
    }

    private IResult ListUsers(HttpRequest request, string realm, string? email, bool? exact, string? username, string? q, int? first, int? max, bool? briefRepresentation)
    {
        if (Authorize(request, realm) is { } denied)
        {
            return denied;
        }

        IEnumerable<KeycloakUser> users = _users.Values.OrderBy(u => u.CreatedTimestamp).ThenBy(u => u.Username, StringComparer.Ordinal);
        if (email is not null)
        {
            users = exact == true
                ? users.Where(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase))
                : users.Where(u => u.Email?.Contains(email, StringComparison.OrdinalIgnoreCase) == true);
        }

        if (username is not null)
        {
            users = exact == true
                ? users.Where(u => string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase))
                : users.Where(u => u.Username.Contains(username, StringComparison.OrdinalIgnoreCase));
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            // "key1:value1 key2:value2" (UsersResource, JpaUserProvider): every pair must match a value of the
            // attribute, the whole value ignoring case with exact=true, else any part of it.
            foreach (var pair in q.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split(':', 2)).Where(p => p.Length == 2))
            {
                users = users.Where(u => u.Attributes.TryGetValue(pair[0], out var values) && values.Any(v => exact == true
                    ? string.Equals(v, pair[1], StringComparison.OrdinalIgnoreCase)
                    : v.Contains(pair[1], StringComparison.OrdinalIgnoreCase)));
            }
        }

        return Results.Json(users.Skip(first ?? 0).Take(max ?? 100).Select(u => Representation(u, briefRepresentation == true)).ToList());
    }

    /// <summary>PUT replaces the whole configuration and needs manage-realm; the answer is the stored configuration.</summary>
    private async Task<IResult> PutProfileAsync(HttpRequest request, string realm)
    {
        if (Authorize(request, realm, DeclarativeUserProfile ? [ManageRealmRole] : []) is { } denied)
        {
            return denied;
        }

        if (!DeclarativeUserProfile)
        {
            return UserNotFound();
        }

        var body = await ReadObjectAsync(request);
        var invalid = body is null ? "Invalid JSON" : Profile.Replace(body);
        if (invalid is not null)
        {
            return Results.Json(new { errorMessage = invalid }, statusCode: 400);
        }

        return Results.Json(Profile.Configuration);
    }

    private IResult GetUser(HttpRequest request, string realm, string id)
    {
        if (Authorize(request, realm) is { } denied)
        {
            return denied;
        }

        return _users.TryGetValue(id, out var user)
            ? Results.Json(Representation(user, brief: false))
            : UserNotFound();
    }

    /// <summary>
    /// Keycloak 24.0.4+ semantics: when <c>attributes</c> is sent it replaces the whole map, and the root fields
    /// email, firstName and lastName left out are removed too; without <c>attributes</c> nothing is removed.
    /// </summary>
    private async Task<IResult> PutUserAsync(HttpRequest request, string realm, string id)
    {
        if (Authorize(request, realm) is { } denied)
        {
            return denied;
        }

        if (!_users.TryGetValue(id, out var user))
        {
            return Results.Json(new { error = "User not found" }, statusCode: 404);
        }

        JsonObject body;
        try
        {
            body = (await JsonNode.ParseAsync(request.Body))?.AsObject() ?? throw new JsonException();
        }
        catch (JsonException)
        {
            return Results.Json(new { error = "unknown_error" }, statusCode: 400);
        }

        lock (user)
        {
            if (body["attributes"] is JsonObject sent)
            {
                if (!DeclarativeUserProfile)
                {
                    user.Attributes = sent.ToDictionary(a => a.Key, a => (a.Value as JsonArray ?? []).Select(v => v!.GetValue<string>()).ToList(), StringComparer.Ordinal);
                }
                else if (Profile.Check(sent) is { } invalid)
                {
                    return Results.Json(invalid, statusCode: 400);
                }
                else
                {
                    user.Attributes = Profile.Apply(user.Attributes, sent);
                }

                user.Email = body["email"]?.GetValue<string>();
                user.FirstName = body["firstName"]?.GetValue<string>();
                user.LastName = body["lastName"]?.GetValue<string>();
            }
            else
            {
                user.Email = body["email"]?.GetValue<string>() ?? user.Email;
                user.FirstName = body["firstName"]?.GetValue<string>() ?? user.FirstName;
                user.LastName = body["lastName"]?.GetValue<string>() ?? user.LastName;
            }

            user.Username = body["username"]?.GetValue<string>() ?? user.Username;
            user.Enabled = body["enabled"]?.GetValue<bool>() ?? user.Enabled;
            user.EmailVerified = body["emailVerified"]?.GetValue<bool>() ?? user.EmailVerified;
            if (body["requiredActions"] is JsonArray actions)
            {
                user.RequiredActions = actions.Select(a => a!.GetValue<string>()).ToList();
            }
        }

        return Results.NoContent();
    }

    /// <param name="everyAttribute">True for the sandbox's own view: every stored attribute, also those the realm hides from the admin API.</param>
    private Dictionary<string, object?> Representation(KeycloakUser user, bool brief, bool everyAttribute = false)
    {
        lock (user)
        {
            var rep = new Dictionary<string, object?>
            {
                ["id"] = user.Id,
                ["username"] = user.Username,
                ["firstName"] = user.FirstName,
                ["lastName"] = user.LastName,
                ["email"] = user.Email,
                ["emailVerified"] = user.EmailVerified,
                ["createdTimestamp"] = user.CreatedTimestamp,
                ["enabled"] = user.Enabled,
                ["totp"] = false,
                ["disableableCredentialTypes"] = Array.Empty<string>(),
                ["requiredActions"] = user.RequiredActions.ToArray(),
                ["notBefore"] = 0,
                ["access"] = new Dictionary<string, bool> { ["manage"] = true, ["view"] = true },
            };
            if (!brief)
            {
                rep["attributes"] = user.Attributes.Where(a => everyAttribute || !DeclarativeUserProfile || Profile.IsVisibleToAdmin(a.Key)).ToDictionary(a => a.Key, a => a.Value.ToArray());
            }

            return rep.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
        }
    }

    private static IResult UserNotFound() => Results.Json(new { error = "User not found" }, statusCode: 404);
}
