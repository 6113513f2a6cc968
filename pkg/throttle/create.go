package throttle

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// CreateTable creates a table with the schema of the package
// documentation (partition key "pk" of type String, on-demand billing),
// waits until it is ACTIVE and enables Time to Live on "expires". It is
// meant for local runs and tests; deployments create the table with their
// infrastructure code. A table that already exists is kept, if its key
// schema is right, and its Time to Live enabled if it is not. It honors
// ctx: without a deadline it waits at most 5 minutes for the table.
func CreateTable(ctx context.Context, client *dynamodb.Client, table string) error {
	if err := CheckTableName(table); err != nil {
		return err
	}
	_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String(table),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String(attrKey), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String(attrKey), KeyType: types.KeyTypeHash}},
	})
	if err != nil {
		if _, ok := errors.AsType[*types.ResourceInUseException](err); !ok {
			return fmt.Errorf("throttle: create table %q: %w", table, err)
		}
	}
	wait := 5 * time.Minute
	if dl, ok := ctx.Deadline(); ok {
		wait = time.Until(dl)
	}
	if wait <= 0 {
		return fmt.Errorf("throttle: wait for table %q: %w", table, context.DeadlineExceeded)
	}
	desc, err := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Second, 5*time.Second
	}).WaitForOutput(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)}, wait)
	if err != nil {
		return fmt.Errorf("throttle: wait for table %q to become ACTIVE: %w", table, err)
	}
	if !keySchemaOK(desc.Table) {
		return fmt.Errorf("throttle: table %q exists with another key schema; it must have only a partition key %q of type String", table, attrKey)
	}
	ttl, err := client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		return fmt.Errorf("throttle: describe Time to Live of table %q: %w", table, err)
	}
	if d := ttl.TimeToLiveDescription; d != nil {
		switch d.TimeToLiveStatus {
		case types.TimeToLiveStatusEnabled, types.TimeToLiveStatusEnabling:
			if name := aws.ToString(d.AttributeName); name != attrExpires {
				return fmt.Errorf("throttle: table %q has Time to Live on attribute %q; it must be on %q", table, name, attrExpires)
			}
			return nil
		}
	}
	_, err = client.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{
		TableName: aws.String(table),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{
			AttributeName: aws.String(attrExpires),
			Enabled:       aws.Bool(true),
		},
	})
	if err != nil {
		return fmt.Errorf("throttle: enable Time to Live on attribute %q of table %q: %w", attrExpires, table, err)
	}
	return nil
}

// keySchemaOK reports whether t has only the partition key "pk" of type
// String.
func keySchemaOK(t *types.TableDescription) bool {
	if t == nil || len(t.KeySchema) != 1 {
		return false
	}
	k := t.KeySchema[0]
	if aws.ToString(k.AttributeName) != attrKey || k.KeyType != types.KeyTypeHash {
		return false
	}
	for _, a := range t.AttributeDefinitions {
		if aws.ToString(a.AttributeName) == attrKey {
			return a.AttributeType == types.ScalarAttributeTypeS
		}
	}
	return false
}
