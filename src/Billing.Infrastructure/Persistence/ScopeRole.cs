using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Billing.Infrastructure.Persistence;

/// <summary>Set on a scope by a background worker before anything in it touches the database.</summary>
public sealed class ScopeRole
{
    public bool Worker { get; set; }
}
