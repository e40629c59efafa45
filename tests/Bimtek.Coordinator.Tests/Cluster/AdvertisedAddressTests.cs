using System.Net;
using Bimtek.Coordinator.Hosting;

namespace Bimtek.Coordinator.Tests.Cluster;

/// <summary>
/// What a clustered silo advertises. Under compose both silos used to advertise 127.0.0.1:11111 and declared
/// each other dead; each now names itself (its service name), looked up when it starts.
/// </summary>
public sealed class AdvertisedAddressTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_is_loopback(string? configured) =>
        Assert.Equal(IPAddress.Loopback, CoordinatorSilo.AdvertisedAddress(configured));

    [Theory]
    [InlineData("10.89.0.7")]
    [InlineData("fd00::7")]
    public void An_address_is_taken_as_it_is(string configured) =>
        Assert.Equal(IPAddress.Parse(configured), CoordinatorSilo.AdvertisedAddress(configured));

    [Fact]
    public void A_host_name_is_looked_up_and_an_IPv4_address_preferred()
    {
        var expected = Dns.GetHostAddresses("localhost").First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);

        Assert.Equal(expected, CoordinatorSilo.AdvertisedAddress("localhost"));
    }

    [Fact]
    public void A_name_that_does_not_resolve_stops_the_silo() =>
        Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => CoordinatorSilo.AdvertisedAddress("no-such-silo.invalid"));
}
