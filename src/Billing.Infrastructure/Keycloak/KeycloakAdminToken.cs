using System.Net.Http.Headers;
using Billing.Infrastructure.Configuration;

namespace Billing.Infrastructure.Keycloak;

/// <summary>
/// The service's admin token: client credentials, or the admin user's password grant as in the seed. One token
/// serves every call until shortly before it expires; concurrent callers wait for the one request in flight.
/// </summary>
internal sealed class KeycloakAdminToken(IKeycloakTokenApi tokens, KeycloakOptions options, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _token;
    private DateTimeOffset _expiresAt;

    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && clock.GetUtcNow() < _expiresAt)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_token is { } fresh && clock.GetUtcNow() < _expiresAt)
            {
                return fresh;
            }

            var issued = await tokens.RequestTokenAsync(options.Realm, Grant(), cancellationToken);
            var lifetime = TimeSpan.FromSeconds(issued.ExpiresIn);
            _expiresAt = clock.GetUtcNow() + (lifetime > RefreshMargin * 2 ? lifetime - RefreshMargin : lifetime / 2);
            _token = issued.AccessToken;
            return issued.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forgets a token Keycloak refused (revoked, or the realm's keys rotated).</summary>
    public void Invalidate(string token) => Interlocked.CompareExchange(ref _token, null, token);

    private Dictionary<string, string> Grant()
    {
        if (options.ClientId is not null && options.ClientSecret is not null)
        {
            return new() { ["grant_type"] = "client_credentials", ["client_id"] = options.ClientId, ["client_secret"] = options.ClientSecret };
        }

        if (options.AdminUsername is not null && options.AdminPassword is not null)
        {
            // The seed's way: the admin user of the admin-cli client.
            return new() { ["grant_type"] = "password", ["client_id"] = options.ClientId ?? "admin-cli", ["username"] = options.AdminUsername, ["password"] = options.AdminPassword };
        }

        throw new InvalidOperationException("Keycloak admin credentials are not configured.");
    }

    public void Dispose() => _gate.Dispose();
}
