package otp

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"math"
	"testing"
)

// The uniformity test draws many codes and runs Pearson's chi-square test
// on the digit counts, at each position and over all positions together,
// with 10 categories (9 degrees of freedom).
//
// False alarms: each of the 11 tests (10 positions and the pooled counts)
// refuses a perfect generator with probability alpha = 1e-9, so a correct
// generator fails a run with probability at most 1.1e-8: once in about a
// hundred million runs. The critical value is 60.66 (TestChiSquareSurvival
// checks it against the exact distribution).
//
// Power: with 100,000 codes, a digit that never appears gives a per-position
// statistic near 11,000, and the modulo bias of byte%10 (0–5 drawn with
// probability 26/256, 6–9 with 25/256) a pooled statistic near 370, both far
// above 60.66. TestUniformityCatchesBrokenGenerators runs the same test on such
// generators to show it.
const (
	alpha       = 1e-9
	sampleCodes = 100_000
	// critical is the chi-square value with 9 degrees of freedom whose
	// upper tail is alpha, rounded down.
	critical = 60.6
)

// digitCounts counts the digits of n codes from gen, by position; index
// MaxLength holds the counts over all positions.
func digitCounts(tb testing.TB, n int, gen func() (string, error)) [MaxLength + 1][10]int {
	tb.Helper()
	var counts [MaxLength + 1][10]int
	for range n {
		code, err := gen()
		if err != nil {
			tb.Fatal(err)
		}
		if len(code) != MaxLength {
			tb.Fatalf("generator gave %d digits, want %d", len(code), MaxLength)
		}
		for i := 0; i < len(code); i++ {
			d := code[i] - '0'
			if d > 9 {
				tb.Fatalf("generator gave a non-digit %q", code[i])
			}
			counts[i][d]++
			counts[MaxLength][d]++
		}
	}
	return counts
}

// uniformityFailures runs the chi-square tests on counts and describes
// each test that refuses uniformity at level alpha.
func uniformityFailures(counts [MaxLength + 1][10]int) []string {
	var failures []string
	for pos, c := range counts {
		where := fmt.Sprintf("position %d", pos+1)
		if pos == MaxLength {
			where = "all positions"
		}
		total := 0
		for _, n := range c {
			total += n
		}
		want := float64(total) / 10
		x := 0.0
		for d, n := range c {
			if n == 0 {
				failures = append(failures, fmt.Sprintf("%s: digit %d never drawn in %d draws", where, d, total))
			}
			x += (float64(n) - want) * (float64(n) - want) / want
		}
		if p := chiSquareSurvival(x, 9); p < alpha {
			failures = append(failures, fmt.Sprintf("%s: chi-square %.1f, p = %.3g < %g; counts %v", where, x, p, alpha, c))
		}
	}
	return failures
}

// chiSquareSurvival returns P(X > x) for X chi-square distributed with an
// odd number df of degrees of freedom, from the closed form
//
//	Q(x; df) = erfc(√(x/2)) + √(2/π)·e^(−x/2)·Σ_{r=1}^{(df−1)/2} x^(r−½)/(1·3·…·(2r−1)).
func chiSquareSurvival(x float64, df int) float64 {
	if df < 1 || df%2 == 0 {
		panic("chiSquareSurvival: df must be odd")
	}
	if x <= 0 {
		return 1
	}
	sum, term := 0.0, math.Sqrt(x)
	for r := 1; r <= (df-1)/2; r++ {
		sum += term
		term *= x / float64(2*r+1)
	}
	return math.Erfc(math.Sqrt(x/2)) + math.Sqrt(2/math.Pi)*math.Exp(-x/2)*sum
}

func TestChiSquareSurvival(t *testing.T) {
	// Critical values from published chi-square tables.
	tests := []struct {
		x    float64
		df   int
		want float64
	}{
		{3.841, 1, 0.05},
		{7.815, 3, 0.05},
		{16.919, 9, 0.05},
		{21.666, 9, 0.01},
		{27.877, 9, 0.001},
		{0, 9, 1},
	}
	for _, tt := range tests {
		if got := chiSquareSurvival(tt.x, tt.df); math.Abs(got-tt.want) > 1e-4 {
			t.Errorf("Q(%v; %d) = %.6f, want %.4f", tt.x, tt.df, got, tt.want)
		}
	}
	// The documented critical value: just above it the tail is below alpha,
	// at it the tail is still at least alpha.
	if p := chiSquareSurvival(critical, 9); p < alpha {
		t.Errorf("Q(%v; 9) = %.3g, below alpha %g: the documented critical value is too high", critical, p, alpha)
	}
	if p := chiSquareSurvival(critical+0.1, 9); p >= alpha {
		t.Errorf("Q(%v; 9) = %.3g, not below alpha %g: the documented critical value is too low", critical+0.1, p, alpha)
	}
}

func TestCodesAreUniform(t *testing.T) {
	counts := digitCounts(t, sampleCodes, func() (string, error) { return NewCode(MaxLength) })
	for _, f := range uniformityFailures(counts) {
		t.Error(f)
	}
}

// TestUniformityCatchesBrokenGenerators checks the test itself: it must
// refuse the two classic mistakes.
func TestUniformityCatchesBrokenGenerators(t *testing.T) {
	tests := []struct {
		name string
		gen  func() (string, error)
	}{
		// floor(random·9), the reference sample's mistake: never a 9.
		{"scaled by 9", func() (string, error) {
			var b [MaxLength * 8]byte
			_, _ = rand.Read(b[:])
			code := make([]byte, MaxLength)
			for i := range code {
				u := float64(binary.LittleEndian.Uint64(b[i*8:])>>11) / (1 << 53)
				code[i] = '0' + byte(u*9)
			}
			return string(code), nil
		}},
		// byte % 10 without rejection: 0–5 a little more likely.
		{"modulo bias", func() (string, error) {
			var b [MaxLength]byte
			_, _ = rand.Read(b[:])
			for i := range b {
				b[i] = '0' + b[i]%10
			}
			return string(b[:]), nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failures := uniformityFailures(digitCounts(t, sampleCodes, tt.gen))
			if len(failures) == 0 {
				t.Fatal("the uniformity test passed a broken generator")
			}
			t.Logf("refused, as it should be: %d failures, the last: %s", len(failures), failures[len(failures)-1])
		})
	}
}
