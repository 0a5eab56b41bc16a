using System.Collections.Concurrent;
using Billing.Application.Ports;

namespace Billing.Infrastructure.Keycloak;

/// <summary>
/// Memberships Keycloak confirmed or denied, kept for <see cref="Period"/> so a page of requests asks once; a member
/// who leaves loses access within it. Failures are never kept.
/// </summary>
internal sealed class OrganizationMembershipCache(TimeProvider clock)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(60);
    private const int PruneAbove = 10_000;
    private readonly ConcurrentDictionary<(string Organization, string User), (OrganizationMembership Membership, DateTimeOffset At)> _seen = new();

    public OrganizationMembership? Find(string organizationId, string userId) =>
        _seen.TryGetValue((organizationId, userId), out var seen) && clock.GetUtcNow() - seen.At < Period ? seen.Membership : null;

    public void Remember(string organizationId, string userId, OrganizationMembership membership)
    {
        var now = clock.GetUtcNow();
        if (_seen.Count >= PruneAbove)
        {
            foreach (var stale in _seen.Where(s => now - s.Value.At >= Period).Select(s => s.Key).ToList())
            {
                _seen.TryRemove(stale, out _);
            }
        }

        _seen[(organizationId, userId)] = (membership, now);
    }
}
