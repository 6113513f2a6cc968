package notify_test

import (
	"strings"
	"testing"

	"github.com/cognitrig/cognitrig/pkg/notify"
)

// FuzzParseCallingCodes checks ParseCallingCodes on any input: it never
// panics; what it accepts holds only digits, commas, plus signs, spaces
// and tabs, and reads back the same from its String; every code is 1 to 4
// digits not starting with 0, allows the numbers that start with it, and
// no number allowed starts with anything else. The seed corpus is in
// testdata/fuzz/FuzzParseCallingCodes. Run it with
//
//	go test -run '^$' -fuzz FuzzParseCallingCodes -fuzztime 60s ./pkg/notify
func FuzzParseCallingCodes(f *testing.F) {
	for _, s := range []string{"1", "1,44,33", "+1, +44", "1204", "", ",", "1,,44", "044", "12045", "+", "٤٤", "1;44", " 1 ,\t44 "} {
		f.Add(s, "+447700900123")
	}
	f.Fuzz(func(t *testing.T, list, phone string) {
		c, err := notify.ParseCallingCodes(list)
		if err != nil {
			if !c.IsZero() {
				t.Fatalf("refused %q but returned %v", list, c)
			}
			return
		}
		if strings.Trim(list, "0123456789,+ \t") != "" {
			t.Fatalf("accepted %q, which holds other characters", list)
		}
		codes := c.CallingCodes()
		if len(codes) == 0 || c.IsZero() || c.All() {
			t.Fatalf("accepted %q as %v (%d codes)", list, c, len(codes))
		}
		again, err := notify.ParseCallingCodes(c.String())
		if err != nil || again != c {
			t.Fatalf("%q reads as %v, whose String reads back as %v, %v", list, c, again, err)
		}
		for _, code := range codes {
			if len(code) < 1 || len(code) > notify.MaxCallingCodeDigits || code[0] == '0' || strings.Trim(code, "0123456789") != "" {
				t.Fatalf("accepted %q with the code %q", list, code)
			}
			if !c.Allows("+" + code + "5550100") {
				t.Fatalf("%v does not allow a number starting with +%s", c, code)
			}
		}
		if c.Allows(phone) {
			if !strings.HasPrefix(phone, "+") {
				t.Fatalf("%v allows a number without +", c)
			}
			matched := false
			for _, code := range codes {
				matched = matched || strings.HasPrefix(phone[1:], code)
			}
			if !matched {
				t.Fatalf("%v allows a number that starts with none of its codes", c)
			}
		}
	})
}
