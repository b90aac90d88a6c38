package cli

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"
)

// settings are one command's configuration: its own viper instance (never
// the global one) with the command's flags bound to configuration keys.
// Precedence, highest first: a flag given on the command line, the
// environment (LIFEBOAT_ and the key upper-cased, dots as underscores:
// analyze.top is LIFEBOAT_ANALYZE_TOP), the workspace's lifeboat.yaml,
// then the default.
type settings struct {
	v   *viper.Viper
	cmd *cobra.Command
	// flagOf maps a key to its flag name, for messages.
	flagOf map[string]string
}

func newSettings(cmd *cobra.Command) *settings {
	v := viper.New()
	v.SetEnvPrefix("LIFEBOAT")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_", "-", "_"))
	v.AutomaticEnv()
	return &settings{v: v, cmd: cmd, flagOf: map[string]string{}}
}

func (s *settings) bind(key, name string) {
	if err := s.v.BindPFlag(key, s.cmd.Flags().Lookup(name)); err != nil {
		panic(err) // a programming error: the flag was just defined
	}
	s.flagOf[key] = name
}

// String adds a string flag bound to key.
func (s *settings) String(name, short, key, def, usage string) {
	s.cmd.Flags().StringP(name, short, def, usage)
	s.v.SetDefault(key, def)
	s.bind(key, name)
}

// Bool adds a boolean flag bound to key.
func (s *settings) Bool(name, key string, def bool, usage string) {
	s.cmd.Flags().Bool(name, def, usage)
	s.v.SetDefault(key, def)
	s.bind(key, name)
}

// Int adds an integer flag bound to key.
func (s *settings) Int(name, short, key string, def int, usage string) {
	s.cmd.Flags().IntP(name, short, def, usage)
	s.v.SetDefault(key, def)
	s.bind(key, name)
}

// Int64 adds a 64-bit integer flag bound to key.
func (s *settings) Int64(name, key string, def int64, usage string) {
	s.cmd.Flags().Int64(name, def, usage)
	s.v.SetDefault(key, def)
	s.bind(key, name)
}

// where names the places a key's value may come from, for messages.
func (s *settings) where(key string) string {
	env := "LIFEBOAT_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
	if f, ok := s.flagOf[key]; ok {
		return fmt.Sprintf("--%s (or %s, or %s in lifeboat.yaml)", f, env, key)
	}
	return fmt.Sprintf("%s (or %s in lifeboat.yaml)", env, key)
}

// GetString returns key's value as a string.
func (s *settings) GetString(key string) (string, error) {
	switch x := s.v.Get(key).(type) {
	case nil:
		return "", nil
	case string:
		return strings.TrimSpace(x), nil
	case bool, int, int64, float64:
		return fmt.Sprint(x), nil
	default:
		return "", usageErrorf("%s: want a single value, got %v", s.where(key), x)
	}
}

// GetBool returns key's value as a boolean; a value that is not one
// ("maybe" in the environment, say) is a usage error rather than false.
func (s *settings) GetBool(key string) (bool, error) {
	switch x := s.v.Get(key).(type) {
	case nil:
		return false, nil
	case bool:
		return x, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(strings.TrimSpace(x))
		if err != nil {
			return false, usageErrorf("%s: %q is not true or false", s.where(key), x)
		}
		return b, nil
	default:
		return false, usageErrorf("%s: %v is not true or false", s.where(key), x)
	}
}

// GetInt returns key's value as an integer.
func (s *settings) GetInt(key string) (int64, error) {
	switch x := s.v.Get(key).(type) {
	case nil:
		return 0, nil
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case uint64:
		return int64(x), nil
	case float64:
		if x != float64(int64(x)) {
			return 0, usageErrorf("%s: %v is not a whole number", s.where(key), x)
		}
		return int64(x), nil
	case string:
		n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return 0, usageErrorf("%s: %q is not a whole number", s.where(key), x)
		}
		return n, nil
	default:
		return 0, usageErrorf("%s: %v is not a whole number", s.where(key), x)
	}
}

// format is a result command's output format.
type format string

const (
	formatText format = "text"
	formatJSON format = "json"
)

// addFormat adds --format text|json, bound to the key "format".
func (s *settings) addFormat() {
	s.String("format", "", "format", string(formatText), "output format: text or json")
	_ = s.cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(
		[]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
}

// Format returns the output format, validated.
func (s *settings) Format() (format, error) {
	f, err := s.GetString("format")
	if err != nil {
		return "", err
	}
	switch format(strings.ToLower(f)) {
	case formatText, "":
		return formatText, nil
	case formatJSON:
		return formatJSON, nil
	}
	return "", usageErrorf("%s: unknown format %q; use text or json", s.where("format"), f)
}
