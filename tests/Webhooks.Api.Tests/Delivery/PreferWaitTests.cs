using Microsoft.Extensions.Primitives;
using Webhooks.Api.Listeners;

namespace Webhooks.Api.Tests.Delivery;

/// <summary>The <c>wait</c> preference of a <c>Prefer</c> header (RFC 7240): read where it is well formed, ignored where not.</summary>
public sealed class PreferWaitTests
{
    [Theory]
    [InlineData("wait=30", 30)]
    [InlineData("respond-async, wait=5", 5)]
    [InlineData("WAIT = 7 ; extra=1", 7)]
    [InlineData("wait=\"12\"", 12)]
    [InlineData("wait=0", 0)]
    [InlineData("wait=-1", null)]
    [InlineData("wait=soon", null)]
    [InlineData("wait", null)]
    [InlineData("return=minimal", null)]
    [InlineData("", null)]
    public void Read_FindsTheFirstReadableWait(string header, int? expected) => Assert.Equal(expected, PreferWait.Read(new StringValues(header)));

    [Fact]
    public void Read_LooksAcrossSeveralHeaders() => Assert.Equal(9, PreferWait.Read(new StringValues(["return=minimal", "wait=9"])));
}
