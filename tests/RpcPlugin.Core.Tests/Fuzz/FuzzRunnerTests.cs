using System;
using System.Threading;
using Xunit.Sdk;

namespace RpcPlugin.Core.Tests.Fuzz;

/// <summary>The fuzz runner itself: a hang, an unexpected exception and a failed property all fail the test with the seed, the case and the input.</summary>
[Collection(FuzzRunner.Collection)]
public class FuzzRunnerTests
{
    [Fact]
    public void A_case_that_hangs_fails_the_run_with_its_number_seed_and_input()
    {
        var error = Assert.ThrowsAny<XunitException>(() => FuzzRunner.Run("hang", 42, 10, fuzzCase =>
        {
            fuzzCase.Input("line", "input of case " + fuzzCase.Number);
            if (fuzzCase.Number == 3)
            {
                Thread.Sleep(400);
            }
        }, caseLimit: TimeSpan.FromMilliseconds(100)));

        Assert.Contains("case 3 of seed 42", error.Message, StringComparison.Ordinal);
        Assert.Contains("RPCPLUGIN_FUZZ_CASE=3", error.Message, StringComparison.Ordinal);
        Assert.Contains("running for more than 100 ms", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"input of case 3\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unexpected_exception_fails_the_run_with_its_type_and_input()
    {
        var error = Assert.ThrowsAny<XunitException>(() => FuzzRunner.Run("throw", 7, 10, fuzzCase =>
        {
            fuzzCase.Input("bytes", new byte[] { 0xAB, (byte)fuzzCase.Number });
            if (fuzzCase.Number == 5)
            {
                throw new InvalidOperationException("boom");
            }
        }));

        Assert.Contains("case 5 of seed 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected System.InvalidOperationException: boom", error.Message, StringComparison.Ordinal);
        Assert.Contains("AB05", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_property_fails_the_run_with_its_message_and_every_case_is_reproducible()
    {
        int firstDraw = 0;
        var error = Assert.ThrowsAny<XunitException>(() => FuzzRunner.Run("property", 9, 10, fuzzCase =>
        {
            fuzzCase.Input(() => "described lazily");
            if (fuzzCase.Number == 6)
            {
                firstDraw = fuzzCase.Random.Next();
                throw FuzzCase.Fail("the property does not hold");
            }
        }));

        Assert.Contains("case 6 of seed 9", error.Message, StringComparison.Ordinal);
        Assert.Contains("the property does not hold", error.Message, StringComparison.Ordinal);
        Assert.Contains("described lazily", error.Message, StringComparison.Ordinal);
        // A case's random numbers depend only on the seed and the case number, not on the cases before it.
        Assert.Equal(firstDraw, new FuzzCase(9, 6, new()).Random.Next());
    }
}
