using System.Net;
using System.Net.Http.Headers;

namespace Billing.Infrastructure.Keycloak;

/// <summary>Puts the admin token on every admin API call, and fetches a new one once if Keycloak answers 401.</summary>
internal sealed class KeycloakAdminTokenHandler(KeycloakAdminToken token) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var current = await token.GetAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", current);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        token.Invalidate(current);
        response.Dispose();
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await token.GetAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
