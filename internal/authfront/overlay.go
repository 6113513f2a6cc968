package authfront

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
)

// clientOverlay holds the settings of an app client that cognito-local
// drops and the front keeps: it adds them to cognito-local's answers about
// the client, and acts on them.
type clientOverlay struct {
	// AuthSessionValidity is how many minutes a custom-auth session lasts,
	// 3 to 15; 0 means Cognito's default, 3.
	AuthSessionValidity int32 `json:",omitempty"`
}

// overlay returns the kept settings of app client id.
func (f *Front) overlay(id string) clientOverlay {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.overlays[id]
}

// loadOverlays reads the kept settings from Config.StateFile, when there
// is one.
func (f *Front) loadOverlays() error {
	f.overlays = map[string]clientOverlay{}
	if f.cfg.StateFile == "" {
		return nil
	}
	b, err := os.ReadFile(f.cfg.StateFile)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("authfront: read the kept app-client settings: %w", err)
	}
	if err := json.Unmarshal(b, &f.overlays); err != nil {
		return fmt.Errorf("authfront: %s is not the front's state (%v); delete it to start over", f.cfg.StateFile, err)
	}
	return nil
}

// saveOverlays writes the kept settings to Config.StateFile, replacing
// it whole. f.mu is held.
func (f *Front) saveOverlays() error {
	if f.cfg.StateFile == "" {
		return nil
	}
	b, err := json.MarshalIndent(f.overlays, "", "  ")
	if err != nil {
		return err
	}
	tmp := f.cfg.StateFile + ".tmp"
	if err := os.MkdirAll(filepath.Dir(tmp), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, f.cfg.StateFile)
}

// clientCall serves CreateUserPoolClient, UpdateUserPoolClient and
// DescribeUserPoolClient: cognito-local answers, and the front keeps or
// adds the settings cognito-local drops.
func (f *Front) clientCall(w http.ResponseWriter, r *http.Request, op string, body []byte) {
	var in struct {
		ClientID            string `json:"ClientId"`
		AuthSessionValidity *int32 `json:"AuthSessionValidity"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		writeError(w, http.StatusBadRequest, "SerializationException", "The request body is not a JSON object of the call's parameters.")
		return
	}
	if v := in.AuthSessionValidity; v != nil && op != "DescribeUserPoolClient" && (*v < 3 || *v > 15) {
		bound := "greater than or equal to 3"
		if *v > 15 {
			bound = "less than or equal to 15"
		}
		writeError(w, http.StatusBadRequest, "InvalidParameterException",
			"1 validation error detected: Value '"+strconv.Itoa(int(*v))+"' at 'authSessionValidity' failed to satisfy constraint: Member must have value "+bound)
		return
	}
	status, header, out, err := f.forward(r, body)
	if err != nil {
		f.cfg.Log.Error("cognito-local did not answer", "op", op, "err", err)
		writeError(w, http.StatusInternalServerError, "InternalErrorException", "The local user-pool service (cognito-local) did not answer; see its log.")
		return
	}
	var resp map[string]json.RawMessage
	var uc map[string]any
	if status == http.StatusOK && json.Unmarshal(out, &resp) == nil && json.Unmarshal(resp["UserPoolClient"], &uc) == nil {
		id, _ := uc["ClientId"].(string)
		f.mu.Lock()
		if op != "DescribeUserPoolClient" {
			// UpdateUserPoolClient, as Cognito's, resets what it is not
			// sent to the default.
			o := clientOverlay{}
			if in.AuthSessionValidity != nil {
				o.AuthSessionValidity = *in.AuthSessionValidity
			}
			f.overlays[id] = o
			if pool, ok := uc["UserPoolId"].(string); ok {
				f.clients[id] = pool
			}
			if err := f.saveOverlays(); err != nil {
				f.cfg.Log.Error("could not keep the app client's settings", "err", err)
			}
		}
		o := f.overlays[id]
		f.mu.Unlock()
		uc["AuthSessionValidity"] = 3
		if o.AuthSessionValidity != 0 {
			uc["AuthSessionValidity"] = o.AuthSessionValidity
		}
		if b, err := json.Marshal(uc); err == nil {
			resp["UserPoolClient"] = b
			if b, err := json.Marshal(resp); err == nil {
				out = b
			}
		}
	}
	h := w.Header()
	maps.Copy(h, header)
	h.Del("Content-Length")
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

// forward sends r, with body, to cognito-local and returns its answer.
func (f *Front) forward(r *http.Request, body []byte) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, f.cfg.Upstream+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return 0, nil, nil, err
	}
	req.Header = r.Header.Clone()
	// Let the transport ask for, and undo, compression: the front reads
	// the answer.
	req.Header.Del("Accept-Encoding")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return 0, nil, nil, err
	}
	return resp.StatusCode, resp.Header, out, nil
}
