using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Billing.Infrastructure.Persistence;

/// <summary>Lets <c>dotnet ef migrations add … --context SqliteBillingDbContext</c> build the model without the API.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBillingDbContext>
{
    public SqliteBillingDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBillingDbContext>().UseSqlite("Data Source=design.db").Options);
}
