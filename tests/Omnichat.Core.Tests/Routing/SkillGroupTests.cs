using Omnichat.Core.Kernel;
using Omnichat.Core.Routing;

namespace Omnichat.Core.Tests.Routing;

public sealed class SkillGroupTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Update_KeepsUnchangedLinks_RemovesDropped_AddsNew_IgnoresDuplicates()
    {
        ChannelId a = ChannelId.New(), b = ChannelId.New(), c = ChannelId.New();
        var group = SkillGroup.Create(" Support ", [a, b, b], [], [], T0);
        Assert.Equal("Support", group.Name);
        Assert.Equal(2, group.Channels.Count);
        var keptLink = group.Channels.Single(l => l.ChannelId == b);

        group.Update("Support", [b, c], [], [], T0.AddMinutes(1));

        Assert.Equal(new[] { b.Value, c.Value }.Order(), group.Channels.Select(l => l.ChannelId.Value).Order());
        Assert.Same(keptLink, group.Channels.Single(l => l.ChannelId == b));
        Assert.Equal(T0.AddMinutes(1), group.UpdatedAt);
    }
}
