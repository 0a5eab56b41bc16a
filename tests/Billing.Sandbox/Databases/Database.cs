namespace Billing.Sandbox.Databases;

/// <summary>The two stores the service runs on: embedded SQLite, and PostgreSQL for several instances.</summary>
public enum Database
{
    Sqlite,
    Postgres,
}
