using Billing.Application.Common.Messaging;
using Billing.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Billing.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}
