#include "storage/delta/delta_actions.h"

#include <gtest/gtest.h>

#include "storage/delta/delta_schema.h"
#include "storage/delta/json_node.h"

namespace alopex {
namespace {

TEST(JsonNodeTest, ParsesAndSerializesKeepingOrderAndNumberText) {
  auto n = JsonNode::Parse(R"( {"b":1,"a":[true,null,"x\ny\u00e9"],"c":12345678901234567890.5e3,"d":{}} )");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->members()[0].first, "b");
  EXPECT_EQ(n->GetInt("b"), 1);
  EXPECT_EQ(n->Find("a")->items()[2].str(), "x\ny\xc3\xa9");
  EXPECT_EQ(n->Serialize(), R"({"b":1,"a":[true,null,"x\ny)" "\xc3\xa9" R"("],"c":12345678901234567890.5e3,"d":{}})");
}

TEST(JsonNodeTest, RejectsMalformedTextWithPosition) {
  for (const char* bad : {"{", "{\"a\" 1}", "[1,]", "tru", "\"abc", "{} x", "01x"}) {
    auto n = JsonNode::Parse(bad);
    EXPECT_FALSE(n.ok()) << bad;
    if (!n.ok()) {
      EXPECT_NE(n.status().message().find("malformed JSON at byte"), std::string::npos);
    }
  }
}

TEST(JsonNodeTest, SurrogatePairsDecode) {
  auto n = JsonNode::Parse(R"("\ud83d\ude00")");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->str(), "\xF0\x9F\x98\x80");
}

TEST(DeltaActionsTest, ParsesSparkCommitLines) {
  std::string commit =
      R"({"commitInfo":{"timestamp":1691426737143,"operation":"DELETE","operationParameters":{"predicate":"[\"(id < 5)\"]"},"readVersion":4,"isolationLevel":"Serializable","isBlindAppend":false,"operationMetrics":{"numRemovedFiles":"1"},"engineInfo":"Apache-Spark/3.4.0","txnId":"abc","unknownField":{"x":1}}})"
      "\n"
      R"({"remove":{"path":"part-00000-b09f.snappy.parquet","deletionTimestamp":1691426737143,"dataChange":true,"extendedFileMetadata":true,"partitionValues":{},"size":539}})"
      "\n"
      R"({"add":{"path":"p=1/part-1.parquet","partitionValues":{"p":"1","q":null},"size":500,"modificationTime":1691426737139,"dataChange":true,"stats":"{\"numRecords\":5}","deletionVector":{"storageType":"u","pathOrInlineDv":"ab^-aqEH.-t@S}K{vb[*k^","offset":4,"sizeInBytes":40,"cardinality":6}}})"
      "\n"
      R"({"cdc":{"path":"_change_data/x.parquet","partitionValues":{},"size":1,"dataChange":false}})"
      "\n"
      R"({"someFutureAction":{"x":1}})"
      "\n"
      R"({"txn":{"appId":"app","version":7,"lastUpdated":12}})"
      "\n";
  auto actions = ParseActions(commit, "00000000000000000005.json");
  ASSERT_TRUE(actions.ok()) << actions.status().ToString();
  ASSERT_EQ(actions->size(), 4u);  // cdc and the unknown action are ignored
  const auto& ci = std::get<CommitInfo>((*actions)[0]);
  EXPECT_EQ(ci.operation, "DELETE");
  EXPECT_EQ(ci.read_version, 4);
  EXPECT_EQ(ci.operation_metrics.at("numRemovedFiles"), "1");
  EXPECT_NE(ci.extra.Find("unknownField"), nullptr);
  const auto& rm = std::get<RemoveFile>((*actions)[1]);
  EXPECT_EQ(rm.size, 539);
  EXPECT_TRUE(rm.partition_values.has_value());
  const auto& add = std::get<AddFile>((*actions)[2]);
  EXPECT_EQ(add.partition_values.at("p"), "1");
  EXPECT_FALSE(add.partition_values.at("q").has_value());
  ASSERT_TRUE(add.deletion_vector.has_value());
  EXPECT_EQ(add.deletion_vector->UniqueId(), "uab^-aqEH.-t@S}K{vb[*k^@4");
  EXPECT_EQ(add.NumRecords(), 5);
  EXPECT_EQ(std::get<Txn>((*actions)[3]).version, 7);

  // Round trip: serialize and parse again.
  auto again = ParseActions(SerializeActions(*actions), "roundtrip");
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 4u);
  EXPECT_EQ(std::get<AddFile>((*again)[2]).deletion_vector, add.deletion_vector);
  EXPECT_EQ(SerializeActions(*again), SerializeActions(*actions));
}

TEST(DeltaActionsTest, MissingRequiredFieldNamesFileLineAndField) {
  auto r = ParseActions("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n{\"add\":{\"size\":1}}\n",
                        "_delta_log/00000000000000000003.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("00000000000000000003.json: line 2"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("'path'"), std::string::npos);
}

TEST(DeltaSchemaTest, ParsesEveryTypeAndRoundTrips) {
  std::string s =
      R"({"type":"struct","fields":[)"
      R"({"name":"a","type":"long","nullable":true,"metadata":{}},)"
      R"J({"name":"b","type":"decimal(10, 4)","nullable":false,"metadata":{}},)J"
      R"({"name":"c","type":{"type":"array","elementType":"string","containsNull":true},"nullable":true,"metadata":{}},)"
      R"({"name":"d","type":{"type":"map","keyType":"integer","valueType":{"type":"struct","fields":[{"name":"x","type":"date","nullable":true,"metadata":{}}]},"valueContainsNull":true},"nullable":true,"metadata":{}},)"
      R"({"name":"e","type":"timestamp","nullable":true,"metadata":{}},)"
      R"({"name":"f","type":"timestamp_ntz","nullable":true,"metadata":{}},)"
      R"({"name":"g","type":{"type":"array","elementType":"float","containsNull":false},"nullable":true,"metadata":{"alopex.vector_dimension":3}},)"
      R"({"name":"h","type":"binary","nullable":true,"metadata":{}},)"
      R"({"name":"i","type":"byte","nullable":true,"metadata":{}},)"
      R"({"name":"j","type":"short","nullable":true,"metadata":{}},)"
      R"({"name":"k","type":"boolean","nullable":true,"metadata":{}})"
      R"(]})";
  auto schema = ParseDeltaSchema(s);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  auto types = schema->types();
  EXPECT_EQ(types[0], LogicalType(TypeId::kBigInt));
  EXPECT_EQ(types[1], LogicalType::Decimal(10, 4));
  EXPECT_EQ(types[2], LogicalType::List(TypeId::kVarchar));
  EXPECT_EQ(types[3], LogicalType::Map(TypeId::kInteger, LogicalType::Struct({{"x", TypeId::kDate}})));
  EXPECT_EQ(types[4], LogicalType(TypeId::kTimestampTz));
  EXPECT_EQ(types[5], LogicalType(TypeId::kTimestamp));
  EXPECT_EQ(types[6], LogicalType::Vector(3));
  EXPECT_EQ(types[7], LogicalType(TypeId::kBlob));
  EXPECT_FALSE(schema->fields[1].nullable);
  auto again = ParseDeltaSchema(SerializeDeltaSchema(*schema));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->types(), types);
}

TEST(DeltaSchemaTest, AlopexTypesKeepTheirTypeInMetadata) {
  std::vector<std::string> names = {"id", "emb", "u", "doc", "ts", "tags"};
  std::vector<LogicalType> types = {TypeId::kBigInt, LogicalType::Vector(4), TypeId::kUuid,
                                    TypeId::kJson,   TypeId::kTimestamp,    LogicalType::List(TypeId::kUuid)};
  auto schema = DeltaSchemaFromColumns(names, types);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  std::string text = SerializeDeltaSchema(*schema);
  EXPECT_NE(text.find(R"({"name":"emb","type":{"type":"array","elementType":"float","containsNull":false},"nullable":true,"metadata":{"alopex.vector_dimension":4}})"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"({"name":"u","type":"string","nullable":true,"metadata":{"alopex.type":"UUID"}})"),
            std::string::npos)
      << text;
  auto back = ParseDeltaSchema(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->types(), types);
  EXPECT_EQ(back->fields[2].stored_type, LogicalType(TypeId::kVarchar));
  EXPECT_EQ(back->fields[4].stored_type, LogicalType(TypeId::kTimestampTz));

  auto dup = DeltaSchemaFromColumns({"a", "A"}, {TypeId::kInteger, TypeId::kInteger});
  EXPECT_FALSE(dup.ok());
}

TEST(DeltaSchemaTest, ColumnMappingPhysicalNames) {
  std::string s =
      R"({"type":"struct","fields":[{"name":"s","type":{"type":"struct","fields":[{"name":"x","type":"integer","nullable":true,"metadata":{"delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-x"}}]},"nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-s"}}]})";
  auto schema = ParseDeltaSchema(s);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(schema->fields[0].PhysicalName(ColumnMappingMode::kName), "col-s");
  EXPECT_EQ(schema->fields[0].PhysicalName(ColumnMappingMode::kNone), "s");
  EXPECT_EQ(schema->fields[0].FieldId(), 1);
  EXPECT_EQ(PhysicalType(schema->fields[0], ColumnMappingMode::kName),
            LogicalType::Struct({{"col-x", TypeId::kInteger}}));
}

TEST(DeltaSchemaTest, UnknownTypeIsRefusedWithFieldName) {
  auto schema = ParseDeltaSchema(R"({"type":"struct","fields":[{"name":"v","type":"variant","nullable":true,"metadata":{}}]})");
  ASSERT_FALSE(schema.ok());
  EXPECT_NE(schema.status().message().find("'v'"), std::string::npos);
}

}  // namespace
}  // namespace alopex
