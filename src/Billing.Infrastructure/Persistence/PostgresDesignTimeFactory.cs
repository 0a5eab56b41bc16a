using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Billing.Infrastructure.Persistence;

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBillingDbContext>
{
    public PostgresBillingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBillingDbContext>().UseNpgsql("Host=localhost;Database=billing_design").Options);
}
