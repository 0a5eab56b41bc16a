using Billing.Domain.Accounts;

namespace Billing.Domain.Tests;

/// <summary>An account bills a user or an organization, told apart by its key.</summary>
public sealed class AccountHolderTests
{
    [Test]
    public void An_organizations_key_names_it_and_a_users_names_no_organization()
    {
        var key = AccountHolder.ForOrganization("3f2b8c1a-6d4e-4a7b-9c2d-1e5f7a9b3c4d");

        Assert.That(key, Is.EqualTo("org:3f2b8c1a-6d4e-4a7b-9c2d-1e5f7a9b3c4d"));
        Assert.That(AccountHolder.OrganizationOf(key), Is.EqualTo("3f2b8c1a-6d4e-4a7b-9c2d-1e5f7a9b3c4d"));
        Assert.That(AccountHolder.OrganizationOf("8d5c0b5e-4f7a-4b8e-9a51-2f1c3d7e6a90"), Is.Null);
        Assert.That(BillingAccount.Open(key, "manager@example.com", DateTimeOffset.UnixEpoch).OrganizationId, Is.EqualTo("3f2b8c1a-6d4e-4a7b-9c2d-1e5f7a9b3c4d"));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void An_organization_needs_an_id(string id) =>
        Assert.Throws<ArgumentException>(() => AccountHolder.ForOrganization(id));
}
