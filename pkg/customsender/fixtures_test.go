package customsender_test

import (
	"encoding/json"
	"flag"
	"html"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/cognitrig/cognitrig/internal/mototest"
	"github.com/cognitrig/cognitrig/pkg/customsender"
	"github.com/cognitrig/cognitrig/pkg/customsender/customsendertest"
)

var rewriteFixtures = flag.Bool("rewrite-fixtures", false, "encrypt new codes into the custom sender fixtures under events/, with a throwaway moto_server key")

// The code of every custom sender fixture is AWS Encryption SDK
// ciphertext (under a moto_server key that no longer exists), so that the
// functions get past the format checks to KMS on them. With
// -rewrite-fixtures the codes are encrypted anew.
func TestFixtureCodes(t *testing.T) {
	var client *kms.Client
	var keyARN string
	if *rewriteFixtures {
		client = kms.NewFromConfig(mototest.Config(mototest.Start(t)))
		keyARN = customsendertest.CreateKey(t, client)
	}
	for _, dir := range []string{"customemailsender", "customsmssender"} {
		for _, path := range fixtures(t, dir) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var ev struct {
				Request struct {
					Code *string `json:"code"`
				} `json:"request"`
			}
			if err := json.Unmarshal(raw, &ev); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if ev.Request.Code == nil {
				if source(path) != "CustomEmailSender_AccountTakeOverNotification" {
					t.Errorf("%s: no code", path)
				}
				continue
			}
			if *rewriteFixtures {
				plain := "123456"
				if isAdmin(source(path)) {
					plain = html.EscapeString(`Tmp&Pass<1>`)
				}
				code := customsendertest.Encrypt(t, client, keyARN, poolOf(t, path), plain, customsendertest.Committing)
				raw = []byte(strings.Replace(string(raw), `"code": "`+*ev.Request.Code+`"`, `"code": "`+code+`"`, 1))
				if err := os.WriteFile(path, raw, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			if _, err := customsender.DecodeCiphertext(*ev.Request.Code); err != nil {
				t.Errorf("%s: %v (run go test ./pkg/customsender -run TestFixtureCodes -rewrite-fixtures)", path, err)
			}
		}
	}
}
